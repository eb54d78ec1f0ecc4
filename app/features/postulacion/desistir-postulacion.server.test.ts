import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, convocatorias, documentos, outbox, postulaciones } from "~/db/schema";
import { createPostulante } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { pdfInfo, pdfText } from "../../../tests/support/pdf-text";
import { normalPdf } from "../../../tests/support/pdfs";
import { createConvocatoriaAbierta, HOUR, readyToFinalize } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { startSmtpServer } from "../../../tests/support/smtp";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { desistirPostulacion } from "./desistir-postulacion.server";
import { finalizePostulacion } from "./finalize-postulacion.server";
import { startPostulacion } from "./start-postulacion.server";

describe("desistirPostulacion", () => {
  let s: TestServices;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let pdf: Uint8Array;
  const START = new Date("2026-11-26T15:00:00Z");
  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url, BASE_URL: "https://cas.entidad.test" }, now: START });
    pdf = await normalPdf(1, "Documento");
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  /** A registrada postulación (registered at START), the clock moved on to `desisteAt`. */
  async function registrada(desisteAt = new Date(START.getTime() + 2 * HOUR)) {
    s.clock.set(START);
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const postulacionId = await readyToFinalize(s, p.id, c.id, pdf);
    const { numero } = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    s.clock.set(desisteAt);
    return { c, p, postulacionId, numero, base: { services: s, postulanteId: p.id, convocatoriaId: c.id } };
  }
  const row = async (id: string) => (await s.db.query.postulaciones.findFirst({ where: eq(postulaciones.id, id) }))!;
  const mailsTo = (email: string, subject: RegExp) =>
    smtp.messages.filter((m) => JSON.stringify(m.to ?? "").includes(email) && subject.test(m.subject ?? ""));

  it("makes it desistida, keeps its number, files and history, audits it and mails the constancia de desistimiento once", async () => {
    const { c, p, postulacionId, numero, base } = await registrada();
    const motivo = "Acepté otra oferta laboral en Arequipa.";
    const done = await desistirPostulacion({ ...base, motivo: `  ${motivo}  ` });
    expect(done).toEqual({ postulacionId, numero, desistidaAt: new Date(START.getTime() + 2 * HOUR) });

    const r = await row(postulacionId);
    expect(r).toMatchObject({ estado: "desistida", numero, motivoDesistimiento: motivo, finalizadaAt: START });
    expect(r.constanciaKey).toBeTruthy();
    expect(r.desistidaAt).toEqual(done.desistidaAt);
    expect(await s.db.select().from(documentos).where(eq(documentos.postulacionId, postulacionId))).toHaveLength(3);
    expect(await s.storage.exists(r.constanciaKey!)).toBe(true);

    const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, postulacionId), eq(auditLog.event, "postulacion.desistida")));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorType: "postulante", actorId: p.id, details: { numero, conMotivo: true } });
    expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-desistida:${postulacionId}`))).toHaveLength(1);

    // The PDF states exactly what happened.
    const text = await pdfText(await s.storage.getBuffer(r.constanciaDesistimientoKey!));
    expect(text).toContain("Constancia de desistimiento");
    expect(text).toContain(`N° ${numero}`);
    expect(text).toContain(c.codigo);
    expect(text).toContain("Rosa María Quispe Huamán");
    // pdftotext reads the fields as two columns: the labels, then the values in the same order.
    expect(text).toMatch(/Fecha y hora de registro\s+Fecha y hora de desistimiento\s+Motivo/);
    expect(text).toMatch(/26\/11\/2026, 10:00 \(hora de Lima\)\s+26\/11\/2026, 12:00 \(hora de Lima\)\s+Acepté otra oferta/);
    expect(text).toContain(motivo);
    expect(text).toMatch(/no fue eliminada: sus 3 documentos, la Ficha de Postulación, la constancia de postulación y el\s+historial se conservan/);
    expect(text).toMatch(/No es posible volver a postular a esta convocatoria/);
    expect(await pdfInfo(await s.storage.getBuffer(r.constanciaDesistimientoKey!))).toMatchObject({ title: `Constancia de desistimiento N° ${numero}`, creationDate: done.desistidaAt });

    // The e-mail, once, with the same facts and the PDF attached.
    await expect.poll(() => mailsTo(p.email, /desistimiento/).length, { timeout: 10_000 }).toBe(1);
    const mail = mailsTo(p.email, /desistimiento/)[0]!;
    expect(mail.subject).toBe(`Constancia de desistimiento — postulación N° ${numero} — ${c.codigo}`);
    expect(mail.text).toContain("Registramos su desistimiento de la postulación.");
    expect(mail.text).toMatch(/Fecha y hora de registro:?\s+26\/11\/2026, 10:00 \(hora de Lima\)/);
    expect(mail.text).toMatch(/Fecha y hora de desistimiento:?\s+26\/11\/2026, 12:00 \(hora de Lima\)/);
    expect(mail.text).toContain(motivo);
    expect(mail.text).toContain(`https://cas.entidad.test/postulacion/${c.id}/desistida`);
    expect(mail.attachments.map((a) => a.filename)).toEqual([`constancia-desistimiento-${numero}.pdf`]);
    expect(await pdfText(mail.attachments[0]!.content)).toContain("Constancia de desistimiento");

    // It left the evaluation; a second "Desistir" is refused and mails nothing more.
    expect((await loadEvaluacion(s.db, c.id)).postulaciones.map((x) => x.id)).not.toContain(postulacionId);
    await expectRefusal(desistirPostulacion({ ...base, motivo: null }), "postulacion.ya_desistida", 409, /Ya desistió/);
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(p.email, /desistimiento/)).toHaveLength(1);
  });

  it("without a reason says so", async () => {
    const { postulacionId, base } = await registrada();
    await desistirPostulacion({ ...base, motivo: "   " });
    const r = await row(postulacionId);
    expect(r.motivoDesistimiento).toBeNull();
    expect(await pdfText(await s.storage.getBuffer(r.constanciaDesistimientoKey!))).toMatch(/Motivo\n[^]*\(hora de Lima\)\nNo indicó un motivo\./);
    const [a] = await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, postulacionId), eq(auditLog.event, "postulacion.desistida")));
    expect(a!.details).toMatchObject({ conMotivo: false });
  });

  it("is only the owner's: another applicant has no postulación there (404) and changes nothing", async () => {
    const { postulacionId, c } = await registrada();
    const otro = await createPostulante(s);
    await expectRefusal(desistirPostulacion({ services: s, postulanteId: otro.id, convocatoriaId: c.id, motivo: null }), "postulacion.no_encontrada", 404, /No encontramos/);
    expect((await row(postulacionId)).estado).toBe("registrada");
  });

  it("refuses once the window has closed (409), and keeps it registrada with no constancia or mail", async () => {
    const { postulacionId, c, base } = await registrada();
    s.clock.set(new Date(c.postulacionFin!.getTime() + 1000));
    await expectRefusal(desistirPostulacion({ ...base, motivo: null }), "postulacion.ventana_cerrada", 409, /plazo de postulación de esta convocatoria terminó/);
    const r = await row(postulacionId);
    expect(r).toMatchObject({ estado: "registrada", desistidaAt: null, constanciaDesistimientoKey: null });
    expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-desistida:${postulacionId}`))).toHaveLength(0);
  });

  it("checks the window again inside the transaction: a convocatoria closed meanwhile is refused", async () => {
    const { postulacionId, c, base } = await registrada();
    // The HR office closes the window after the first check (simulated: the row changes under a spy of storage.put).
    const put = s.storage.put.bind(s.storage);
    s.storage.put = async (key, body) => {
      await s.db.update(convocatorias).set({ postulacionFin: new Date(START.getTime() + HOUR) }).where(eq(convocatorias.id, c.id));
      return put(key, body);
    };
    try {
      await expectRefusal(desistirPostulacion({ ...base, motivo: null }), "postulacion.ventana_cerrada", 409, /terminó/);
    } finally {
      s.storage.put = put;
    }
    expect((await row(postulacionId)).estado).toBe("registrada");
  });

  it("refuses a draft (en_registro): only a registrada one can be withdrawn", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const { postulacion } = await startPostulacion({ db: s.db, postulanteId: p.id, convocatoriaId: c.id, now: s.clock.now() });
    await expectRefusal(
      desistirPostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, motivo: null }),
      "postulacion.desistimiento_no_permitido", 409, /Solo puede desistir de una postulación registrada/,
    );
    expect((await row(postulacion.id)).estado).toBe("en_registro");
  });

  it("two at once: one desistimiento, one audit row, one e-mail", async () => {
    const { postulacionId, base } = await registrada();
    const results = await Promise.allSettled([desistirPostulacion({ ...base, motivo: "uno" }), desistirPostulacion({ ...base, motivo: "dos" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, postulacionId), eq(auditLog.event, "postulacion.desistida")))).toHaveLength(1);
    expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-desistida:${postulacionId}`))).toHaveLength(1);
  });
});
