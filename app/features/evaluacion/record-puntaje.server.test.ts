import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, puntajes } from "~/db/schema";
import { AppError } from "~/shared/app-error";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, createConvocatoria, createPostulaciones, score, setupEvaluacion } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { assignEvaluadores } from "./assign-evaluadores.server";
import { closeEtapa } from "./close-etapa.server";
import { loadEvaluacion } from "./load-evaluacion.server";

describe("recordPuntaje", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff, ev2: TestStaff, otro: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
    ev1 = await createStaff(s, "evaluador");
    ev2 = await createStaff(s, "evaluador");
    otro = await createStaff(s, "evaluador");
  });
  afterAll(async () => s?.close());

  const countPuntajes = async (etapaId: string) => (await s.db.select().from(puntajes).where(eq(puntajes.etapaId, etapaId))).length;

  it("refuses a score outside 0..máximo, not a number, or for a postulación not in the stage; nothing saved", async () => {
    const { ps, curricular } = await setupEvaluacion(s, 2);
    const foreign = (await createPostulaciones(s, (await createConvocatoria(s)).id, 1))[0]!;
    await assignDirect(s, curricular.id, [ev1.id]);
    for (const [p, value, message] of [
      [ps[0]!, "50,01", /entre 0 y 50/],
      [ps[0]!, "-3", /Ingrese un número/],
      [ps[0]!, "treinta", /Ingrese un número/],
      [foreign, "40", /no está en esta etapa/],
    ] as const) {
      const error = await score(s, ev1, curricular.id, [[ps[1]!, "40"], [p, value]]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("evaluacion.puntajes_invalidos");
      expect((error as AppError).message).toMatch(message);
    }
    expect(await countPuntajes(curricular.id)).toBe(0);
  });

  it("refuses an evaluador scoring a stage not assigned to them (403), nothing saved", async () => {
    const { ps, curricular } = await setupEvaluacion(s, 1);
    await assignDirect(s, curricular.id, [ev1.id]);
    await expectRefusal(score(s, otro, curricular.id, [[ps[0]!, "40"]]), "evaluacion.no_asignado", 403, /no está asignado/);
    expect(await countPuntajes(curricular.id)).toBe(0);
  });

  it("averages several evaluadores' scores, lists in the next stage only those who reached the minimum, and audits each change (old, new)", async () => {
    const { conv, ps, curricular, entrevista } = await setupEvaluacion(s, 3);
    await assignEvaluadores({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id, staffIds: [ev1.id, ev2.id] });
    await score(s, ev1, curricular.id, [[ps[0]!, "40"], [ps[1]!, "35"], [ps[2]!, "30"]]);
    await score(s, ev2, curricular.id, [[ps[0]!, "45,5"], [ps[1]!, "34,99"], [ps[2]!, "50"]]);
    await score(s, ev1, curricular.id, [[ps[0]!, "41"]]);
    const ev = await loadEvaluacion(s.db, conv.id);
    const c = ev.calculadas[0]!.resultados;
    expect(c.find((r) => r.postulacionId === ps[0]!.id)).toMatchObject({ promedio: 4325, apto: true });
    // (35 + 34.99) / 2 = 34.995 → 35.00 (half up): passes with exactly the minimum.
    expect(c.find((r) => r.postulacionId === ps[1]!.id)).toMatchObject({ promedio: 3500, apto: true });
    expect(c.find((r) => r.postulacionId === ps[2]!.id)).toMatchObject({ promedio: 4000, apto: true });
    // The next stage lists nobody until this one is closed.
    expect(ev.calculadas[1]!.bloqueada).toBe(true);
    const rows = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "evaluacion.puntaje_registrado"), eq(auditLog.entityId, ps[0]!.id)));
    expect(rows.map((r) => r.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ anterior: null, nuevo: "40.00" }),
        expect.objectContaining({ anterior: "40.00", nuevo: "41.00" }),
      ]),
    );
    expect(rows.every((r) => r.actorId)).toBe(true);

    // An eliminated applicant (average below 35) is not in the entrevista.
    await score(s, ev2, curricular.id, [[ps[2]!, "20"]]); // (30 + 20) / 2 = 25
    await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id });
    const after = await loadEvaluacion(s.db, conv.id);
    expect(after.calculadas[1]!.resultados.map((r) => r.postulacionId).sort()).toEqual([ps[0]!.id, ps[1]!.id].sort());
    await assignDirect(s, entrevista.id, [ev1.id]);
    await expectRefusal(score(s, ev1, entrevista.id, [[ps[2]!, "40"]]), "evaluacion.puntajes_invalidos", 422, /no está en esta etapa/);
    // Closed: evaluadores can no longer change the curricular scores.
    await expectRefusal(score(s, ev1, curricular.id, [[ps[0]!, "42"]]), "evaluacion.etapa_cerrada", 409, /cerrada/);
  });
});
