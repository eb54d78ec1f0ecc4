import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setupEvaluacion } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { ensureEvaluacion, loadEvaluacion } from "./load-evaluacion.server";

describe("ensureEvaluacion", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("creates the default stages of the common CAS bases once: curricular 50/50/35 and entrevista 50/50/35", async () => {
    const { conv, curricular, entrevista } = await setupEvaluacion(s, 1);
    await ensureEvaluacion(s.db, conv.id);
    const ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.etapas).toHaveLength(2);
    expect(curricular).toMatchObject({ tipo: "curricular", peso: "50.00", maximo: "50.00", minimo: "35.00", estado: "abierta" });
    expect(entrevista).toMatchObject({ tipo: "entrevista", peso: "50.00", maximo: "50.00", minimo: "35.00" });
    // Drafts are not evaluated.
    expect(ev.postulaciones).toHaveLength(1);
  });
});
