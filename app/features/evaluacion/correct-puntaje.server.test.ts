import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outbox, publicaciones } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, score, setupEvaluacion, type PostulacionFixture } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { correctPuntaje } from "./correct-puntaje.server";
import { publishResultados } from "./publish-resultados.server";
import { getResultadosPublicados } from "./resultados-publicados.server";

describe("correctPuntaje", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    [gestor, ev1] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador")];
  });
  afterAll(async () => s?.close());

  it("after publication a correction needs a reason, is audited and republishes the lists as a new version", async () => {
    const { conv, ps, curricular, entrevista } = await setupEvaluacion(s, 2);
    const [a, b] = ps as [PostulacionFixture, PostulacionFixture];
    await assignDirect(s, curricular.id, [ev1.id]);
    await assignDirect(s, entrevista.id, [ev1.id]);
    await score(s, ev1, curricular.id, [[a, "40"], [b, "45"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(s, ev1, entrevista.id, [[a, "40"], [b, "45"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: entrevista.id }, motivo: null });
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: "final", motivo: null });
    // b (45 + 45) won; a correction of b's curricular score to 30 eliminates b.
    const correct = (motivo: string, puntaje = "30") =>
      correctPuntaje({ services: s, actorId: gestor.id, etapaId: curricular.id, postulacionId: b.id, evaluadorId: ev1.id, puntaje, motivo });
    await expectRefusal(correct(""), "evaluacion.motivo_requerido", 422, /motivo/);
    await expectRefusal(correct("Error", "51"), "evaluacion.motivo_requerido", 422, /motivo/);
    await expectRefusal(correct("Error de digitación en el acta", "51"), "evaluacion.puntaje_fuera_de_rango", 422, /entre 0 y 50/);
    expect(await s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, conv.id))).toHaveLength(3);
    // Republishing by hand needs a reason too.
    await expectRefusal(publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: "final", motivo: "" }), "evaluacion.motivo_requerido", 422, /motivo/);

    const { republicadas } = await correct("Error de digitación en el acta de evaluación curricular");
    expect(republicadas).toBe(3);
    const versions = await s.db.select({ alcance: publicaciones.alcance, version: publicaciones.version, motivo: publicaciones.motivo }).from(publicaciones).where(eq(publicaciones.convocatoriaId, conv.id));
    expect(versions.filter((v) => v.version === 2)).toHaveLength(3);
    expect(versions.filter((v) => v.version === 2).every((v) => v.motivo === "Error de digitación en el acta de evaluación curricular")).toBe(true);
    const [final] = await getResultadosPublicados(s.db, conv.id);
    expect(final).toMatchObject({ version: 2, motivo: "Error de digitación en el acta de evaluación curricular" });
    // Fe de erratas: the first version stays public, marked as corrected by the second and why.
    expect(final!.anteriores).toEqual([
      {
        version: 1,
        publishedAt: expect.any(String),
        pdfUrl: expect.stringMatching(new RegExp(`^/convocatorias/${conv.id}/resultados/`)),
        corregidaPor: { version: 2, motivo: "Error de digitación en el acta de evaluación curricular" },
      },
    ]);
    expect(final!.anteriores[0]!.pdfUrl).not.toBe(final!.pdfUrl);
    expect(final!.filas.map((f) => [f.puntaje, f.resultado])).toEqual([[8000, "GANADOR"], [null, "NO APTO"]]);
    const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "evaluacion.puntaje_corregido"), eq(auditLog.entityId, b.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: gestor.id, details: expect.objectContaining({ anterior: "45.00", nuevo: "30.00", evaluadorId: ev1.id }) });
    // A fe de erratas tells those whose row changed: both in the final list (b eliminated, a now first)…
    const v2 = await s.db.select().from(publicaciones).where(and(eq(publicaciones.convocatoriaId, conv.id), eq(publicaciones.alcance, "final"), eq(publicaciones.version, 2)));
    expect(await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${v2[0]!.id}:%`))).toHaveLength(2);
    // …only b in the curricular list (a's row did not change).
    const [cur2] = await s.db.select().from(publicaciones).where(and(eq(publicaciones.convocatoriaId, conv.id), eq(publicaciones.alcance, curricular.id), eq(publicaciones.version, 2)));
    const curMails = await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${cur2!.id}:%`));
    expect(curMails.map((m) => m.to)).toEqual([b.email]);
    expect(curMails[0]!.subject).toMatch(/^Fe de erratas: /);
  });
});
