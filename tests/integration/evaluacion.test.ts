import { and, asc, eq, like } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, evaluacionEtapas, outbox, publicaciones, puntajes } from "~/db/schema";
import { assignEvaluadores } from "~/features/evaluacion/assign-evaluadores.server";
import { porcentajeTotal } from "~/features/evaluacion/calculo";
import { loadEvaluacion, ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { closeEtapa } from "~/features/evaluacion/close-etapa.server";
import { configureEtapas } from "~/features/evaluacion/configure-etapas.server";
import { correctPuntaje } from "~/features/evaluacion/correct-puntaje.server";
import { parsePuntaje } from "~/features/evaluacion/numeros";
import { publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { recordDesempate } from "~/features/evaluacion/record-desempate.server";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { getResultadosPublicados, estadoEvaluacion } from "~/features/evaluacion/resultados-publicados.server";
import { validateBonificacion } from "~/features/evaluacion/validate-bonificacion.server";
import { AppError, type AppErrorCode } from "~/shared/app-error";
import { createStaff, type TestStaff } from "../support/accounts";
import { assignDirect as assignRows, createConvocatoria, createPostulaciones, type PostulacionFixture } from "../support/evaluacion";
import { createTestServices, type TestServices } from "../support/services";

/** Issue 5, evaluation rules through the use cases, on a real database. */
describe("evaluación: stages, scores, bonificaciones, results", () => {
  let s: TestServices;
  let gestor: TestStaff;
  let ev1: TestStaff;
  let ev2: TestStaff;
  let otro: TestStaff;

  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
    ev1 = await createStaff(s, "evaluador");
    ev2 = await createStaff(s, "evaluador");
    otro = await createStaff(s, "evaluador");
  });
  afterAll(async () => {
    await s?.close();
  });

  async function setup(count: number, options: { vacantes?: number; documentos?: string[] } = {}) {
    const conv = await createConvocatoria(s, { vacantes: options.vacantes ?? 1 });
    const ps = await createPostulaciones(s, conv.id, count, { documentos: options.documentos, borradores: 1 });
    await ensureEvaluacion(s.db, conv.id);
    const etapas = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    return { conv, ps, curricular: etapas[0]!, entrevista: etapas[1]! };
  }
  const svc = () => s;
  const assignDirect = (etapaId: string, staffIds: string[]) => assignRows(s, etapaId, staffIds);
  const score = (actor: TestStaff, etapaId: string, rows: [PostulacionFixture, string][]) =>
    recordPuntaje({ services: svc(), actorId: actor.id, etapaId, filas: rows.map(([p, puntaje]) => ({ postulacionId: p.id, puntaje, observacion: "" })) });
  const expectRefusal = async (promise: Promise<unknown>, code: AppErrorCode, status: number, message: RegExp) => {
    const error = await promise.then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, status });
    expect((error as AppError).message).toMatch(message);
  };
  const countPuntajes = async (etapaId: string) => (await s.db.select().from(puntajes).where(eq(puntajes.etapaId, etapaId))).length;

  it("creates the default stages of the common CAS bases once: curricular 50/50/35 and entrevista 50/50/35", async () => {
    const { conv, curricular, entrevista } = await setup(1);
    await ensureEvaluacion(s.db, conv.id);
    const ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.etapas).toHaveLength(2);
    expect(curricular).toMatchObject({ tipo: "curricular", peso: "50.00", maximo: "50.00", minimo: "35.00", estado: "abierta" });
    expect(entrevista).toMatchObject({ tipo: "entrevista", peso: "50.00", maximo: "50.00", minimo: "35.00" });
    // Drafts are not evaluated.
    expect(ev.postulaciones).toHaveLength(1);
  });

  it("lets the gestor add the optional evaluación técnica with weights adding up to 100 %, and locks the stages once one is closed", async () => {
    const { conv, ps, curricular } = await setup(1);
    const base = { services: s, actorId: gestor.id, convocatoriaId: conv.id, bonificacionesAcumulables: false, publicarComo: "documento_enmascarado" as const };
    const tres = (pesoTecnica: number) => [
      { tipo: "curricular" as const, peso: 3000, maximo: 3000, minimo: 2000 },
      { tipo: "tecnica" as const, peso: pesoTecnica, maximo: 2000, minimo: 1200 },
      { tipo: "entrevista" as const, peso: 4000, maximo: 5000, minimo: 3500 },
    ];
    await expectRefusal(configureEtapas({ ...base, etapas: tres(2000) }), "evaluacion.pesos_no_suman_100", 422, /sumar 100 %; ahora suman 90/);
    await expectRefusal(configureEtapas({ ...base, etapas: [{ tipo: "curricular", peso: 10000, maximo: 5000, minimo: 6000 }, { tipo: "entrevista", peso: 0, maximo: 5000, minimo: 0 }] }), "evaluacion.minimo_invalido", 422, /mínimo/);
    await configureEtapas({ ...base, etapas: tres(3000) });
    const ev = await loadEvaluacion(s.db, conv.id);
    expect(ev.etapas.map((e) => [e.tipo, e.peso, e.maximo, e.minimo])).toEqual([
      ["curricular", 3000, 3000, 2000],
      ["tecnica", 3000, 2000, 1200],
      ["entrevista", 4000, 5000, 3500],
    ]);
    expect(ev.config).toMatchObject({ bonificacionesAcumulables: false, publicarComo: "documento_enmascarado" });
    await assignDirect(curricular.id, [ev1.id]);
    await score(ev1, curricular.id, [[ps[0]!, "25"]]);
    await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id });
    await expectRefusal(configureEtapas({ ...base, etapas: tres(3000) }), "evaluacion.configuracion_cerrada", 409, /ya no puede cambiar/);
    const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "evaluacion.configurada"), eq(auditLog.entityId, conv.id)));
    expect(audit).toHaveLength(1);
  });

  it("parses scores with a comma or a dot and at most two decimals", () => {
    expect(parsePuntaje("38,5")).toBe(3850);
    expect(parsePuntaje(" 40.25 ")).toBe(4025);
    expect(parsePuntaje("0")).toBe(0);
    for (const bad of ["", "abc", "-1", "1e2", "38,555", "38.5.1", "NaN", "Infinity"]) expect(parsePuntaje(bad)).toBeNull();
  });

  it("refuses a score outside 0..máximo, not a number, or for a postulación not in the stage; nothing saved", async () => {
    const { ps, curricular } = await setup(2);
    const foreign = (await createPostulaciones(s, (await createConvocatoria(s)).id, 1))[0]!;
    await assignDirect(curricular.id, [ev1.id]);
    for (const [p, value, message] of [
      [ps[0]!, "50,01", /entre 0 y 50/],
      [ps[0]!, "-3", /Ingrese un número/],
      [ps[0]!, "treinta", /Ingrese un número/],
      [foreign, "40", /no está en esta etapa/],
    ] as const) {
      const error = await score(ev1, curricular.id, [[ps[1]!, "40"], [p, value]]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("evaluacion.puntajes_invalidos");
      expect((error as AppError).message).toMatch(message);
    }
    expect(await countPuntajes(curricular.id)).toBe(0);
  });

  it("refuses an evaluador scoring a stage not assigned to them (403), nothing saved", async () => {
    const { ps, curricular } = await setup(1);
    await assignDirect(curricular.id, [ev1.id]);
    await expectRefusal(score(otro, curricular.id, [[ps[0]!, "40"]]), "evaluacion.no_asignado", 403, /no está asignado/);
    expect(await countPuntajes(curricular.id)).toBe(0);
  });

  it("averages several evaluadores' scores, lists in the next stage only those who reached the minimum, and audits each change (old, new)", async () => {
    const { conv, ps, curricular, entrevista } = await setup(3);
    await assignEvaluadores({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id, staffIds: [ev1.id, ev2.id] });
    await score(ev1, curricular.id, [[ps[0]!, "40"], [ps[1]!, "35"], [ps[2]!, "30"]]);
    await score(ev2, curricular.id, [[ps[0]!, "45,5"], [ps[1]!, "34,99"], [ps[2]!, "50"]]);
    await score(ev1, curricular.id, [[ps[0]!, "41"]]);
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
    await score(ev2, curricular.id, [[ps[2]!, "20"]]); // (30 + 20) / 2 = 25
    await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular.id });
    const after = await loadEvaluacion(s.db, conv.id);
    expect(after.calculadas[1]!.resultados.map((r) => r.postulacionId).sort()).toEqual([ps[0]!.id, ps[1]!.id].sort());
    await assignDirect(entrevista.id, [ev1.id]);
    await expectRefusal(score(ev1, entrevista.id, [[ps[2]!, "40"]]), "evaluacion.puntajes_invalidos", 422, /no está en esta etapa/);
    // Closed: evaluadores can no longer change the curricular scores.
    await expectRefusal(score(ev1, curricular.id, [[ps[0]!, "42"]]), "evaluacion.etapa_cerrada", 409, /cerrada/);
  });

  it("refuses publishing a stage with missing scores; nothing published, nobody notified", async () => {
    const { conv, ps, curricular } = await setup(2);
    await assignDirect(curricular.id, [ev1.id, ev2.id]);
    await score(ev1, curricular.id, [[ps[0]!, "40"], [ps[1]!, "40"]]);
    await score(ev2, curricular.id, [[ps[0]!, "40"]]);
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

  it("refuses closing or publishing a stage while the postulación window is open (scoring may start); both work once it ends", async () => {
    const now = s.clock.now();
    const conv = await createConvocatoria(s, { postulacionInicio: new Date(now.getTime() - 86_400_000), postulacionFin: new Date(now.getTime() + 2 * 86_400_000) });
    const ps = await createPostulaciones(s, conv.id, 1);
    await ensureEvaluacion(s.db, conv.id);
    const [curricular] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    await assignDirect(curricular!.id, [ev1.id]);
    await score(ev1, curricular!.id, [[ps[0]!, "40"]]);
    await expectRefusal(closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular!.id }), "evaluacion.plazo_postulacion_abierto", 409, /La postulación sigue abierta hasta el .* \(hora de Lima\)/);
    await expectRefusal(
      publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular!.id }, motivo: null }),
      "evaluacion.plazo_postulacion_abierto",
      409,
      /sigue abierta/,
    );
    expect(await s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, conv.id))).toHaveLength(0);
    expect((await s.db.query.evaluacionEtapas.findFirst({ where: eq(evaluacionEtapas.id, curricular!.id) }))!.estado).toBe("abierta");
    s.clock.set(new Date(now.getTime() + 2 * 86_400_000));
    try {
      await closeEtapa({ services: s, actorId: gestor.id, convocatoriaId: conv.id, etapaId: curricular!.id });
      await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular!.id }, motivo: null });
    } finally {
      s.clock.set(now);
    }
    expect((await s.db.query.evaluacionEtapas.findFirst({ where: eq(evaluacionEtapas.id, curricular!.id) }))!.estado).toBe("publicada");
  });

  it("applies bonificaciones after the last stage to validated sustentos only: added up by default, or only the highest", () => {
    expect(porcentajeTotal([{ tipo: "ffaa", nivel: null }, { tipo: "discapacidad", nivel: null }], true)).toBe(25);
    expect(porcentajeTotal([{ tipo: "ffaa", nivel: null }, { tipo: "discapacidad", nivel: null }], false)).toBe(15);
    expect([1, 2, 3, 4, 5].map((nivel) => porcentajeTotal([{ tipo: "deportista", nivel }], true))).toEqual([20, 16, 12, 8, 4]);
  });

  it("runs a whole process: bonificaciones (both modes), merit order, ganador, accesitario, no apto, publication with PDF and e-mails", async () => {
    const { conv, ps, curricular, entrevista } = await setup(4, { documentos: ["DNI", "LICENCIADO_FFAA", "DISCAPACIDAD_CONADIS"] });
    const [a, b, c, d] = ps as [PostulacionFixture, PostulacionFixture, PostulacionFixture, PostulacionFixture];
    await assignDirect(curricular.id, [ev1.id]);
    await assignDirect(entrevista.id, [ev2.id]);
    await score(ev1, curricular.id, [[a, "40"], [b, "45"], [c, "38"], [d, "20"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(ev2, entrevista.id, [[a, "40"], [b, "42"], [c, "30"]]);
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

  it("flags a tie at the vacantes boundary, refuses the final publication until the committee records how it was broken", async () => {
    const { conv, ps, curricular, entrevista } = await setup(3, { vacantes: 1 });
    const [a, b, c] = ps as [PostulacionFixture, PostulacionFixture, PostulacionFixture];
    await assignDirect(curricular.id, [ev1.id]);
    await assignDirect(entrevista.id, [ev1.id]);
    await score(ev1, curricular.id, [[a, "40"], [b, "42"], [c, "36"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(ev1, entrevista.id, [[a, "42"], [b, "40"], [c, "36"]]);
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

  it("after publication a correction needs a reason, is audited and republishes the lists as a new version", async () => {
    const { conv, ps, curricular, entrevista } = await setup(2);
    const [a, b] = ps as [PostulacionFixture, PostulacionFixture];
    await assignDirect(curricular.id, [ev1.id]);
    await assignDirect(entrevista.id, [ev1.id]);
    await score(ev1, curricular.id, [[a, "40"], [b, "45"]]);
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular.id }, motivo: null });
    await score(ev1, entrevista.id, [[a, "40"], [b, "45"]]);
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
    expect(final!.filas.map((f) => [f.puntaje, f.resultado])).toEqual([[8000, "GANADOR"], [null, "NO APTO"]]);
    const audit = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "evaluacion.puntaje_corregido"), eq(auditLog.entityId, b.id)));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: gestor.id, details: expect.objectContaining({ anterior: "45.00", nuevo: "30.00", evaluadorId: ev1.id }) });
    // Each applicant is told about each new version.
    const v2 = await s.db.select().from(publicaciones).where(and(eq(publicaciones.convocatoriaId, conv.id), eq(publicaciones.alcance, "final"), eq(publicaciones.version, 2)));
    expect(await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${v2[0]!.id}:%`))).toHaveLength(2);
  });
});

