import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { AppError } from "~/shared/app-error";
import { getEvaluacionPage } from "./get-evaluacion-page.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { validateBonificacion } from "./validate-bonificacion.server";

describe("getEvaluacionPage", () => {
  let s: TestServices;
  let gestor: TestStaff, evaluador: TestStaff, deshabilitado: TestStaff, admin: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
    evaluador = await createStaff(s, "evaluador");
    deshabilitado = await createStaff(s, "evaluador", { disabledAt: s.clock.now() });
    admin = await createStaff(s, "administrador");
  });
  afterAll(async () => s?.close());

  it("shows the stages with their progress, who may be assigned, and each claimed bonificación with its decision", async () => {
    const conv = await createConvocatoria(s, { vacantes: 2 });
    const [a, b] = await createPostulaciones(s, conv.id, 2, { documentos: ["DNI", "LICENCIADO_FFAA"], borradores: 1 });
    const curricular = (await loadEvaluacion(s.db, conv.id)).etapas[0]!;
    await assignDirect(s, curricular.id, [evaluador.id]);
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: a!.id, tipo: "ffaa", validada: false, nivel: null, observacion: "Ilegible" });

    const page = await getEvaluacionPage({ services: s, convocatoriaId: conv.id });
    expect(page.convocatoria).toEqual({ id: conv.id, codigo: conv.codigo, puesto: conv.puesto, vacantes: 2 });
    expect(page.total).toBe(2);
    expect(page.etapas.map((e) => [e.nombre, e.peso, e.estado, e.total, e.faltantes, e.evaluadores])).toEqual([
      ["Evaluación curricular", "50.00", "abierta", 2, 2, [evaluador.id]],
      ["Entrevista personal", "50.00", "abierta", 0, 0, []],
    ]);
    const personal = page.personal.map((m) => m.id);
    expect(personal).toEqual(expect.arrayContaining([gestor.id, evaluador.id]));
    expect(personal).not.toContain(deshabilitado.id);
    expect(personal).not.toContain(admin.id);
    expect(page.bonos.map((x) => [x.numero, x.tipo, x.estado, x.observacion]).sort()).toEqual(
      [[a!.numero, "ffaa", "Rechazada", "Ilegible"], [b!.numero, "ffaa", "Pendiente", ""]].sort(),
    );
    expect(page.final).toBeNull();
    expect(page.publicaciones).toEqual([]);
    expect(page.plazo).toBeNull();
  });

  it("is the 404 refusal for a convocatoria that does not exist", async () => {
    const error = await getEvaluacionPage({ services: s, convocatoriaId: "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404 });
  });
});
