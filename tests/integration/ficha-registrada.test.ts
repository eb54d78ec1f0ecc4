import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { buildFicha } from "~/features/postulacion/build-ficha.server";
import { confirmDocumentos } from "~/features/postulacion/confirm-documento.server";
import { loadExpediente } from "~/features/postulacion/expediente.server";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { createPostulante } from "../support/accounts";
import { pdfInfo, pdfText } from "../support/pdf-text";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, uploadDirect } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Issue 12, item 1: after "Aceptar" every place serves the REGISTERED ficha — its cover says
 * so, with the number, the Lima date and time, each document's page range and the SHA-256
 * the constancia lists — never the draft built by "Verificar Ficha Postulante". Read as a
 * reader would: the PDF's text (pdftotext) and its document information.
 */
describe("The ficha after finalizing", { timeout: 120_000 }, () => {
  let s: TestServices;
  const ENTITY = "Superintendencia Nacional de Migraciones — Prueba";

  beforeAll(async () => {
    s = await createTestServices({ env: { ENTITY_NAME: ENTITY } });
  });
  afterAll(async () => {
    await s?.close();
  });

  /** A draft with the three required documents (3, 2 and 5 pages), confirmed. */
  async function draft() {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    let id = "";
    for (const [tipo, pages] of [["DNI", 2], ["FICHA_CURRICULAR", 1], ["DECLARACIONES_JURADAS", 4]] as const) {
      ({ postulacionId: id } = await uploadDirect(s, p.id, c.id, tipo, await normalPdf(pages, tipo)));
    }
    // In the drop-down's order, as the convocatoria keeps it.
    const docs = (await loadExpediente(s.db, id))!.documentos;
    await confirmDocumentos({ db: s.db, postulanteId: p.id, postulacionId: id, confirmados: docs.map((d) => d.id), now: s.clock.now() });
    return { c, p, id, docs };
  }
  const rowOf = async (id: string) => (await s.db.select().from(postulaciones).where(eq(postulaciones.id, id)))[0]!;
  const flat = (text: string) => text.replace(/\s+/g, "");

  it("replaces the draft ficha with the registered one: number, Lima time, page ranges, the constancia's SHA-256, true page numbers, metadata", async () => {
    const { c, p, id, docs } = await draft();
    // "Verificar Ficha Postulante" before finalizing: a draft, and its cover says so.
    const borrador = await buildFicha({ services: s, postulacionId: id, actorId: p.id });
    const borradorText = await pdfText(await s.storage.getBuffer(borrador.key));
    expect(borradorText).toContain("En registro (no finalizada)");
    expect(borradorText).not.toMatch(/N° \d{4}-\d{6}/);
    expect(borrador.registrada).toBe(false);

    s.clock.advance(5 * 60_000);
    const done = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    s.clock.advance(60_000);

    const ficha = await buildFicha({ services: s, postulacionId: id, actorId: p.id });
    expect(ficha.key).not.toBe(borrador.key);
    expect(ficha.sha256).not.toBe(borrador.sha256);
    expect(ficha.registrada).toBe(true);
    const bytes = await s.storage.getBuffer(ficha.key);
    const text = await pdfText(bytes);
    expect(text).not.toContain("En registro");
    expect(text).toContain("Registrada");
    expect(text).toContain(done.numero);
    expect(text).toContain(`${formatLima(done.finalizadaAt)} (hora de Lima)`);
    expect(text).toContain(c.codigo);
    // The cover is page 1 of the whole ficha: 1 + 3 + 2 + 5 pages.
    const cover = await pdfText(bytes, { first: 1, last: 1 });
    expect(cover).toContain("Página 1 de 11");
    expect(ficha.pages).toBe(11);
    // Each document with its page range in the ficha and the SHA-256 of the file received,
    // the same the constancia lists.
    const row = await rowOf(id);
    const constancia = await pdfText(await s.storage.getBuffer(row.constanciaKey!));
    expect(flat(constancia)).toContain(flat(done.numero));
    for (const [d, range] of docs.map((d, i) => [d, ["2–4", "5–6", "7–11"][i]] as const)) {
      expect(flat(cover), d.tipo).toContain(flat(d.sha256));
      expect(flat(constancia), d.tipo).toContain(flat(d.sha256));
      expect(cover, d.tipo).toContain(range);
    }
    // Metadata: Title, Author (the entity), CreationDate (the server's clock when built).
    const info = await pdfInfo(bytes);
    expect(info.title).toBe(`Ficha de Postulación N° ${done.numero}`);
    expect(info.author).toBe(ENTITY);
    expect(info.creationDate?.toISOString()).toBe(s.clock.now().toISOString());
    const cInfo = await pdfInfo(await s.storage.getBuffer(row.constanciaKey!));
    expect(cInfo.title).toBe(`Constancia de postulación N° ${done.numero}`);
    expect(cInfo.author).toBe(ENTITY);
    expect(cInfo.creationDate?.toISOString()).toBe(done.finalizadaAt.toISOString());

    // Recorded as the registered ficha; the draft's file is gone; later requests get the same one.
    expect(row).toMatchObject({ fichaKey: ficha.key, fichaRegistrada: true, fichaVersion: row.documentosVersion });
    expect(await s.storage.exists(borrador.key)).toBe(false);
    expect((await buildFicha({ services: s, postulacionId: id, actorId: p.id })).key).toBe(ficha.key);
  });

  it("rebuilds on first request the draft ficha a registered postulación already holds (rows from before ficha_registrada)", async () => {
    const { c, p, id } = await draft();
    const borrador = await buildFicha({ services: s, postulacionId: id, actorId: p.id });
    const done = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    // What the migration leaves: the draft recorded as current for the documents, ficha_registrada false.
    const before = await rowOf(id);
    expect(before).toMatchObject({ fichaKey: borrador.key, fichaVersion: before.documentosVersion, fichaRegistrada: false });
    const ficha = await buildFicha({ services: s, postulacionId: id, actorId: "00000000-0000-4000-8000-000000000000", actorType: "staff" });
    expect(ficha.key).not.toBe(borrador.key);
    const text = await pdfText(await s.storage.getBuffer(ficha.key));
    expect(text).toContain(done.numero);
    expect(text).not.toContain("En registro");
  });

  it("a draft's build that ends after \"Aceptar\" is thrown away, and the registered one is built instead", async () => {
    const { c, p, id } = await draft();
    // Another process's "Verificar Ficha Postulante": its build is held once its PDF is stored.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const reached = new Promise<void>((resolve) => (held = resolve));
    const stored: string[] = [];
    const otro = {
      ...s,
      storage: {
        ...s.storage,
        putFile: async (...args: Parameters<typeof s.storage.putFile>) => {
          const result = await s.storage.putFile(...args);
          stored.push(args[0]);
          if (stored.length === 1) {
            held();
            await gate;
          }
          return result;
        },
      },
    };
    const building = buildFicha({ services: otro, postulacionId: id, actorId: p.id });
    await reached;
    const done = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    release();
    const ficha = await building;
    expect(ficha.registrada).toBe(true);
    expect(stored).toHaveLength(2);
    expect(ficha.key).toBe(stored[1]);
    expect(await s.storage.exists(stored[0]!), "the late draft's file deleted").toBe(false);
    const text = await pdfText(await s.storage.getBuffer(ficha.key));
    expect(text).toContain(done.numero);
    expect(text).not.toContain("En registro");
    expect(await rowOf(id)).toMatchObject({ fichaKey: ficha.key, fichaRegistrada: true });
  });

  it("concurrent requests in one process share one build", async () => {
    const { c, p, id } = await draft();
    await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    const fichas = await Promise.all(Array.from({ length: 5 }, () => buildFicha({ services: s, postulacionId: id, actorId: p.id })));
    expect(new Set(fichas.map((f) => f.key)).size).toBe(1);
    const audits = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, id), eq(auditLog.event, "postulacion.ficha_generada")));
    expect(audits).toHaveLength(1);
    expect(audits[0]!.details).toMatchObject({ registrada: true });
  });
});
