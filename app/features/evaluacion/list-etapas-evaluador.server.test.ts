import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "../../../tests/support/accounts";
import { assignDirect, createConvocatoria } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { listEtapasEvaluador } from "./list-etapas-evaluador.server";
import { loadEvaluacion } from "./load-evaluacion.server";

describe("listEtapasEvaluador", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("lists only the stages assigned to the staff member, by convocatoria and then in the stages' order", async () => {
    const [yo, otro] = [await createStaff(s, "evaluador"), await createStaff(s, "evaluador")];
    const b = await createConvocatoria(s, { codigo: "CAS N° 902-2026-PRUEBA" });
    const a = await createConvocatoria(s, { codigo: "CAS N° 901-2026-PRUEBA" });
    const [bCurricular, bEntrevista] = (await loadEvaluacion(s.db, b.id)).etapas;
    const [aCurricular, aEntrevista] = (await loadEvaluacion(s.db, a.id)).etapas;
    await assignDirect(s, bEntrevista!.id, [yo.id]);
    await assignDirect(s, bCurricular!.id, [yo.id, otro.id]);
    await assignDirect(s, aCurricular!.id, [yo.id]);
    await assignDirect(s, aEntrevista!.id, [otro.id]);
    expect((await listEtapasEvaluador(s.db, yo.id)).map((e) => [e.codigo, e.nombre, e.estado])).toEqual([
      [a.codigo, "Evaluación curricular", "abierta"],
      [b.codigo, "Evaluación curricular", "abierta"],
      [b.codigo, "Entrevista personal", "abierta"],
    ]);
    expect(await listEtapasEvaluador(s.db, (await createStaff(s, "evaluador")).id)).toEqual([]);
  });
});
