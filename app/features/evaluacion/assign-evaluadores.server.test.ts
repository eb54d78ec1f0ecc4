import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etapaEvaluadores } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { createConvocatoria } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { assignEvaluadores } from "./assign-evaluadores.server";
import { AppError } from "~/shared/app-error";
import { loadEvaluacion } from "./load-evaluacion.server";

describe("assignEvaluadores", () => {
  let s: TestServices;
  let gestor: TestStaff, evaluador: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    [gestor, evaluador] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador")];
  });
  afterAll(async () => s?.close());
  const asignados = async (etapaId: string) =>
    (await s.db.select({ id: etapaEvaluadores.staffId }).from(etapaEvaluadores).where(eq(etapaEvaluadores.etapaId, etapaId))).map((r) => r.id);

  it("sets who scores a stage of the convocatoria", async () => {
    const conv = await createConvocatoria(s);
    const etapa = (await loadEvaluacion(s.db, conv.id)).etapas[0]!;
    await assignEvaluadores({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: etapa.id, staffIds: [evaluador.id, gestor.id] });
    expect((await asignados(etapa.id)).sort()).toEqual([evaluador.id, gestor.id].sort());
  });

  it("refuses a stage of another convocatoria (404), its evaluadores unchanged", async () => {
    const [mine, other] = [await createConvocatoria(s), await createConvocatoria(s)];
    await loadEvaluacion(s.db, mine.id);
    const ajena = (await loadEvaluacion(s.db, other.id)).etapas[0]!;
    const error = await assignEvaluadores({ services: s, actorId: gestor.id, convocatoriaId: mine.id, etapaId: ajena.id, staffIds: [evaluador.id] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404, message: "No encontramos la etapa de evaluación.", logCause: "stage of another convocatoria" });
    expect(await asignados(ajena.id)).toEqual([]);
  });
});
