import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluacionEtapas, publicaciones } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, createConvocatoria, createPostulaciones, score, setupEvaluacion } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { closeEtapa } from "./close-etapa.server";
import { AppError } from "~/shared/app-error";
import { loadEvaluacion } from "./load-evaluacion.server";
import { publishResultados } from "./publish-resultados.server";
import { recordPuntaje } from "./record-puntaje.server";

describe("closeEtapa", () => {
  let s: TestServices;
  let gestor: TestStaff, evaluador: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    [gestor, evaluador] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador")];
  });
  afterAll(async () => s?.close());

  /** A convocatoria whose first stage is ready to close: one postulación, scored by its one evaluador. */
  async function lista() {
    const conv = await createConvocatoria(s);
    const [p] = await createPostulaciones(s, conv.id, 1);
    const etapa = (await loadEvaluacion(s.db, conv.id)).etapas[0]!;
    await assignDirect(s, etapa.id, [evaluador.id]);
    await recordPuntaje({ services: s, actorId: evaluador.id, etapaId: etapa.id, filas: [{ postulacionId: p!.id, puntaje: "40", observacion: "" }] });
    return { conv, etapa };
  }
  const estado = async (convocatoriaId: string) => (await loadEvaluacion(s.db, convocatoriaId)).etapas[0]!.estado;

  it("closes a stage of the convocatoria once every score is in", async () => {
    const { conv, etapa } = await lista();
    await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: etapa.id });
    expect(await estado(conv.id)).toBe("cerrada");
  });

  it("refuses to close a stage of another convocatoria (404); it stays open", async () => {
    const { conv: other, etapa: ajena } = await lista();
    const mine = await createConvocatoria(s);
    const error = await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: mine.id, etapaId: ajena.id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404, message: "No encontramos la etapa de evaluación." });
    expect(await estado(other.id)).toBe("abierta");
  });

  it("refuses closing or publishing a stage while the postulación window is open (scoring may start); both work once it ends", async () => {
    const now = s.clock.now();
    const { conv, ps, curricular } = await setupEvaluacion(s, 1, {
      borradores: 0,
      convocatoria: { postulacionInicio: new Date(now.getTime() - 86_400_000), postulacionFin: new Date(now.getTime() + 2 * 86_400_000) },
    });
    await assignDirect(s, curricular.id, [evaluador.id]);
    await score(s, evaluador, curricular.id, [[ps[0]!, "40"]]);
    await expectRefusal(closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id }), "evaluacion.plazo_postulacion_abierto", 409, /La postulación sigue abierta hasta el .* \(hora de Lima\)/);
    await expectRefusal(
      publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null }),
      "evaluacion.plazo_postulacion_abierto",
      409,
      /sigue abierta/,
    );
    expect(await s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, conv.id))).toHaveLength(0);
    expect((await s.db.query.evaluacionEtapas.findFirst({ where: eq(evaluacionEtapas.id, curricular.id) }))!.estado).toBe("abierta");
    s.clock.set(new Date(now.getTime() + 2 * 86_400_000));
    try {
      await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id });
      await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    } finally {
      s.clock.set(now);
    }
    expect((await s.db.query.evaluacionEtapas.findFirst({ where: eq(evaluacionEtapas.id, curricular.id) }))!.estado).toBe("publicada");
  });
});
