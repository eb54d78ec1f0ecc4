import { eq, like } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluacionEtapas, outbox, publicaciones } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { assignDirect, score, setupEvaluacion, type PostulacionFixture } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { closeEtapa } from "./close-etapa.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { publishResultados } from "./publish-resultados.server";
import { estadoEvaluacion, getResultadosPublicados } from "./resultados-publicados.server";
import { validateBonificacion } from "./validate-bonificacion.server";

describe("publishResultados", () => {
  let s: TestServices;
  let gestor: TestStaff, ev1: TestStaff, ev2: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
    ev1 = await createStaff(s, "evaluador");
    ev2 = await createStaff(s, "evaluador");
  });
  afterAll(async () => s?.close());

  it("refuses publishing a stage with missing scores; nothing published, nobody notified", async () => {
    const { conv, ps, curricular } = await setupEvaluacion(s, 2);
    await assignDirect(s, curricular.id, [ev1.id, ev2.id]);
    await score(s, ev1, curricular.id, [[ps[0]!, "40"], [ps[1]!, "40"]]);
    await score(s, ev2, curricular.id, [[ps[0]!, "40"]]);
    await expectRefusal(
      publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null }),
      "evaluacion.faltan_puntajes",
      409,
      /Faltan puntajes: 1 postulación/,
    );
    expect(await s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, conv.id))).toHaveLength(0);
    expect((await s.db.query.evaluacionEtapas.findFirst({ where: eq(evaluacionEtapas.id, curricular.id) }))!.estado).toBe("abierta");
    await expectRefusal(closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id }), "evaluacion.faltan_puntajes", 409, /Faltan puntajes/);
  });

  it("runs a whole process: bonificaciones (both modes), merit order, ganador, accesitario, no apto, publication with PDF and e-mails", async () => {
    const { conv, ps, curricular, entrevista } = await setupEvaluacion(s, 4, { documentos: ["DNI", "LICENCIADO_FFAA", "DISCAPACIDAD_CONADIS"] });
    const [a, b, c, d] = ps as [PostulacionFixture, PostulacionFixture, PostulacionFixture, PostulacionFixture];
    await assignDirect(s, curricular.id, [ev1.id]);
    await assignDirect(s, entrevista.id, [ev2.id]);
    await score(s, ev1, curricular.id, [[a, "40"], [b, "45"], [c, "38"], [d, "20"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(s, ev2, entrevista.id, [[a, "40"], [b, "42"], [c, "30"]]);
    // b: 45 + 42 = 87; a: 40 + 40 = 80 (+10 % +15 % = 100.00); c fails the entrevista (30 < 35); d the curricular.
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: a.id, tipo: "ffaa", validada: true, nivel: null, observacion: "" });
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: a.id, tipo: "discapacidad", validada: true, nivel: null, observacion: "" });
    // A refused one and one for an eliminated applicant do not count.
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: b.id, tipo: "ffaa", validada: false, nivel: null, observacion: "Documento ilegible" });
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: c.id, tipo: "ffaa", validada: true, nivel: null, observacion: "" });
    await expectRefusal(
      validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: a.id, tipo: "deportista", validada: true, nivel: 1, observacion: "" }),
      "evaluacion.sin_sustento",
      422,
      /no presentó el sustento/,
    );
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: entrevista.id }, motivo: null });
    let ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.final!.resultados.map((r) => [r.postulacionId, r.base, r.bonificacion, r.final, r.orden, r.condicion])).toEqual([
      [a.id, 8000, 2000, 10000, 1, "ganador"],
      [b.id, 8700, 0, 8700, 2, "accesitario"],
      ...[c.id, d.id].sort((x, y) => (ps.find((p) => p.id === x)!.numero < ps.find((p) => p.id === y)!.numero ? -1 : 1)).map((id) => [id, null, 0, null, null, "no_apto"]),
    ]);
    // Highest only: a gets +15 % → 92.00, still first.
    await s.db.execute(`update evaluacion_config set bonificaciones_acumulables = false where convocatoria_id = '${conv.id}'`);
    ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.final!.resultados[0]).toMatchObject({ postulacionId: a.id, bonificacion: 1200, final: 9200 });

    const published = await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: "final", motivo: null });
    expect(published).toMatchObject({ version: 1, destinatarios: 4 });
    const pub = (await s.db.query.publicaciones.findFirst({ where: eq(publicaciones.id, published.publicacionId) }))!;
    const pdf = await PDFDocument.load(await s.storage.getBuffer(pub.pdfKey!));
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
    const mails = await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${pub.id}:%`));
    expect(mails.map((m) => m.to).sort()).toEqual(ps.map((p) => p.email).sort());
    expect(mails.find((m) => m.to === a.email)!.text).toContain("GANADOR — puntaje 92.00");

    const publico = await getResultadosPublicados(s.db, conv.id);
    expect(publico.map((l) => l.titulo)).toEqual(["Resultado final", "Resultados de Entrevista personal", "Resultados de Evaluación curricular"]);
    expect(JSON.stringify(publico)).not.toContain(a.id);
    expect(publico[0]!.filas[0]).toMatchObject({ identificacion: `${a.apellidoPaterno} Prueba, ${a.nombres}`, resultado: "GANADOR" });
    expect(await estadoEvaluacion(s.db, [a.id, c.id])).toMatchObject({ [a.id]: { resultado: "GANADOR" }, [c.id]: { resultado: "NO APTO" } });
  });
});
