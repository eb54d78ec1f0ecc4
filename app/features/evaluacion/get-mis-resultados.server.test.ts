import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, score, setupEvaluacion, type PostulacionFixture } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { getMisResultados } from "./get-mis-resultados.server";
import { publishResultados } from "./publish-resultados.server";
import { validateBonificacion } from "./validate-bonificacion.server";

describe("getMisResultados", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff, ev2: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
    ev1 = await createStaff(s, "evaluador");
    ev2 = await createStaff(s, "evaluador");
  });
  afterAll(async () => s?.close());

  it("shows the applicant their own score per stage, its minimum, each bonificación with its law and the result — nobody else's", async () => {
    const { conv, ps, curricular, entrevista } = await setupEvaluacion(s, 3, { documentos: ["DNI", "LICENCIADO_FFAA", "DISCAPACIDAD_CONADIS"] });
    const [a, b, c] = ps as [PostulacionFixture, PostulacionFixture, PostulacionFixture];
    const mine = (p: PostulacionFixture) => getMisResultados(s.db, { postulanteId: p.postulanteId, postulacionId: p.id });
    // Nothing published yet: nothing to show.
    expect(await mine(a)).toMatchObject({ etapas: [], final: null, postulacion: { numero: a.numero } });

    await assignDirect(s, curricular.id, [ev1.id]);
    await assignDirect(s, entrevista.id, [ev2.id]);
    await score(s, ev1, curricular.id, [[a, "40"], [b, "45"], [c, "38"]]);
    const publish = (alcance: { etapaId: string } | "final") => publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance, motivo: null });
    await publish({ etapaId: curricular.id });
    expect((await mine(a)).etapas).toEqual([
      expect.objectContaining({ etapa: curricular.nombre, puntaje: 4000, minimo: 3500, maximo: 5000, resultado: "APTO", version: 1, motivo: null }),
    ]);

    await score(s, ev2, entrevista.id, [[a, "40"], [b, "42"], [c, "30"]]);
    for (const tipo of ["ffaa", "discapacidad"] as const) {
      await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: a.id, tipo, validada: true, nivel: null, observacion: "" });
    }
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: c.id, tipo: "ffaa", validada: true, nivel: null, observacion: "" });
    await publish({ etapaId: entrevista.id });
    await publish("final");

    const ra = await mine(a);
    expect(ra.etapas.map((e) => [e.etapa, e.puntaje, e.resultado])).toEqual([
      [curricular.nombre, 4000, "APTO"],
      [entrevista.nombre, 4000, "APTO"],
    ]);
    expect(ra.final).toMatchObject({ base: 8000, bonificacionPct: 25, bonificacion: 2000, puntaje: 10000, orden: 1, resultado: "GANADOR" });
    expect(ra.final!.bonificaciones).toEqual([
      { nombre: "Personal licenciado(a) de las Fuerzas Armadas", porcentaje: 10, ley: expect.stringContaining("Ley N.° 29248") },
      { nombre: "Persona con discapacidad", porcentaje: 15, ley: expect.stringContaining("Ley N.° 29973") },
    ]);
    // Another applicant's data never enters the answer.
    const text = JSON.stringify(ra);
    for (const other of [b, c]) {
      for (const value of [other.id, other.numero, other.nombres, other.numeroDocumento, other.email]) expect(text).not.toContain(value);
    }

    // Eliminated at the entrevista: its score and the minimum it missed; a validated bonificación applies to no NO APTO.
    const rc = await mine(c);
    expect(rc.etapas.map((e) => [e.puntaje, e.minimo, e.resultado])).toEqual([
      [3800, 3500, "APTO"],
      [3000, 3500, "NO APTO"],
    ]);
    expect(rc.final).toMatchObject({ resultado: "NO APTO", bonificaciones: [], bonificacionPct: 0, orden: null });

    // Someone else's postulación, or an id that is not one: 404.
    await expectRefusal(getMisResultados(s.db, { postulanteId: b.postulanteId, postulacionId: a.id }), "postulacion.no_encontrada", 404, /No encontramos esa postulación/);
    await expectRefusal(getMisResultados(s.db, { postulanteId: a.postulanteId, postulacionId: "x" }), "postulacion.no_encontrada", 404, /No encontramos esa postulación/);
  });
});
