import { and, eq, inArray } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, outbox, postulaciones } from "~/db/schema";
import { buildFicha } from "~/features/postulacion/build-ficha.server";
import { AppError } from "~/shared/app-error";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { startPostulacion } from "~/features/postulacion/start-postulacion.server";
import { createPostulante } from "../support/accounts";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, readyToFinalize, uploadDirect } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";
import { startSmtpServer } from "../support/smtp";

/**
 * Issue 4's integrity rules at the use-case level, on PGlite and on PostgreSQL (on PGlite
 * the concurrent calls are serialised by its single connection: the rules must hold anyway).
 * The process-kill test is in postulacion-integrity.pg.test.ts (PostgreSQL only).
 */
describe("Postulación integrity", { timeout: 120_000 }, () => {
  let s: TestServices;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let pdf: Uint8Array;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url } });
    pdf = await normalPdf(1);
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  const finalize = (postulanteId: string, convocatoriaId: string) =>
    finalizePostulacion({ services: s, postulanteId, convocatoriaId, declaracion: true, acepto: true });

  it("20 concurrent POSTULAR by one applicant on one convocatoria make one postulación", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => startPostulacion({ db: s.db, postulanteId: p.id, convocatoriaId: c.id, now: s.clock.now() })),
    );
    expect(new Set(results.map((r) => r.postulacion.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await s.db.select().from(postulaciones).where(eq(postulaciones.postulanteId, p.id))).toHaveLength(1);
    expect(await s.db.select().from(auditLog).where(eq(auditLog.event, "postulacion.iniciada")).then((r) => r.filter((a) => a.actorId === p.id))).toHaveLength(1);
  });

  it("20 concurrent finalizations of one postulación register it once, with one number and one e-mail", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const id = await readyToFinalize(s, p.id, c.id, pdf);
    const results = await Promise.all(Array.from({ length: 20 }, () => finalize(p.id, c.id)));
    expect(new Set(results.map((r) => r.numero)).size).toBe(1);
    expect(results.filter((r) => !r.yaRegistrada)).toHaveLength(1);
    const [row] = await s.db.select().from(postulaciones).where(eq(postulaciones.id, id));
    expect(row!.numero).toBe(results[0]!.numero);
    expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${id}`))).toHaveLength(1);
    const audits = (await s.db.select().from(auditLog).where(eq(auditLog.entityId, id))).filter((a) => a.event === "postulacion.registrada");
    expect(audits).toHaveLength(1);
    // The losers' constancias were deleted: only the winner's is stored.
    expect(await s.storage.exists(row!.constanciaKey!)).toBe(true);
  });

  it("refuses a finalization one second after the window closed, by the server's clock", async () => {
    const now = s.clock.now();
    const c = await createConvocatoriaAbierta(s, { fin: new Date(now.getTime() + 60_000) });
    const p = await createPostulante(s);
    const id = await readyToFinalize(s, p.id, c.id, pdf);
    s.clock.set(new Date(c.postulacionFin!.getTime() + 1000));
    try {
      const error = await finalize(p.id, c.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: "postulacion.ventana_cerrada", status: 409 });
      const [row] = await s.db.select().from(postulaciones).where(eq(postulaciones.id, id));
      expect(row!.estado).toBe("en_registro");
      expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${id}`))).toHaveLength(0);
      // …and an upload too.
      const upload = await uploadDirect(s, p.id, c.id, "EXPERIENCIA", pdf).catch((e: unknown) => e);
      expect(upload).toBeInstanceOf(AppError);
      expect(upload).toMatchObject({ code: "postulacion.ventana_cerrada", status: 409 });
    } finally {
      s.clock.set(now);
    }
  });

  it("delivers every confirmation exactly once when SMTP was down during the finalizations", async () => {
    const c = await createConvocatoriaAbierta(s);
    const people = await Promise.all(Array.from({ length: 5 }, () => createPostulante(s)));
    const ids = [];
    for (const p of people) ids.push(await readyToFinalize(s, p.id, c.id, pdf));
    await s.mailWorker.drain();
    const before = smtp.messages.length;
    smtp.down();
    const done = await Promise.all(people.map((p) => finalize(p.id, c.id)));
    await s.mailWorker.drain();
    expect(smtp.messages.length).toBe(before);
    const pending = await Promise.all(ids.map(async (id) => (await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${id}`)))[0]!));
    expect(pending.every((m) => m.status === "pendiente" && m.attempts >= 1)).toBe(true);
    smtp.up();
    // Make the retries due now (the backoff would wait seconds) and drain, until all are sent
    // (an attempt that was under way when SMTP came back may have set a later retry meanwhile);
    // then drain again: nothing is sent twice.
    await vi.waitFor(
      async () => {
        await s.db
          .update(outbox)
          .set({ nextAttemptAt: new Date(0) })
          .where(and(inArray(outbox.id, pending.map((m) => m.id)), eq(outbox.status, "pendiente")));
        await s.mailWorker.drain();
        expect(smtp.messages.length).toBe(before + people.length);
      },
      { timeout: 20_000, interval: 250 },
    );
    await s.mailWorker.drain();
    expect(smtp.messages.length).toBe(before + people.length);
    for (const d of done) {
      expect(smtp.messages.filter((m) => m.subject?.includes(d.numero))).toHaveLength(1);
    }
  });

  it("concurrent ficha builds in several processes leave one consistent stored ficha", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const id = await readyToFinalize(s, p.id, c.id, pdf);
    // Builds in one process share one build (ficha-registrada.test.ts); copies of the services
    // stand for five processes on one database and storage, so the five really race.
    const processes = Array.from({ length: 5 }, () => ({ ...s }));
    const fichas = await Promise.all(processes.map((services) => buildFicha({ services, postulacionId: id, actorId: p.id })));
    const [row] = await s.db.select().from(postulaciones).where(eq(postulaciones.id, id));
    expect(row!.fichaVersion).toBe(row!.documentosVersion);
    expect(fichas.map((f) => f.key)).toContain(row!.fichaKey);
    const doc = await PDFDocument.load(await s.storage.getBuffer(row!.fichaKey!));
    expect(doc.getPageCount()).toBe(row!.fichaPages);
    expect(doc.getPageCount()).toBe(1 + 3 * 2);
    // The losers' files are gone.
    for (const f of fichas) if (f.key !== row!.fichaKey) expect(await s.storage.exists(f.key)).toBe(false);
  });
});
