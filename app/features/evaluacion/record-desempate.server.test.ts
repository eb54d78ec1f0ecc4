import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, score, setupEvaluacion, type PostulacionFixture } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { loadEvaluacion } from "./load-evaluacion.server";
import { publishResultados } from "./publish-resultados.server";
import { recordDesempate } from "./record-desempate.server";
import { getResultadosPublicados } from "./resultados-publicados.server";

describe("recordDesempate", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    [gestor, ev1] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador")];
  });
  afterAll(async () => s?.close());

  it("flags a tie at the vacantes boundary, refuses the final publication until the committee records how it was broken", async () => {
    const { conv, ps, curricular, entrevista } = await setupEvaluacion(s, 3, { vacantes: 1 });
    const [a, b, c] = ps as [PostulacionFixture, PostulacionFixture, PostulacionFixture];
    await assignDirect(s, curricular.id, [ev1.id]);
    await assignDirect(s, entrevista.id, [ev1.id]);
    await score(s, ev1, curricular.id, [[a, "40"], [b, "42"], [c, "36"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(s, ev1, entrevista.id, [[a, "42"], [b, "40"], [c, "36"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: entrevista.id }, motivo: null });
    const ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.final!.empates).toEqual([{ puntaje: 8200, postulaciones: expect.arrayContaining([a.id, b.id]), resuelto: null }]);
    expect(ev.final!.resultados.filter((r) => r.empate)).toHaveLength(2);
    await expectRefusal(publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: "final", motivo: null }), "evaluacion.empate_sin_resolver", 409, /empate/);
    await expectRefusal(recordDesempate({ services: s, actorId: gestor.id, convocatoriaId: conv.id, orden: [b.id, c.id], nota: "Mayor puntaje en la entrevista" }), "evaluacion.orden_no_coincide", 422, /empatadas/);
    await recordDesempate({ services: s, actorId: gestor.id, convocatoriaId: conv.id, orden: [a.id, b.id], nota: "Mayor puntaje en la entrevista personal (bases, numeral 6.3)" });
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: "final", motivo: null });
    const [final] = await getResultadosPublicados(s.db, conv.id);
    expect(final!.filas.map((f) => f.resultado)).toEqual(["GANADOR", "ACCESITARIO", "ACCESITARIO"]);
    expect(final!.filas[0]!.identificacion).toContain(a.nombres);
  });
});
