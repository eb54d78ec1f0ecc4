import { readdir } from "node:fs/promises";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivos, convocatoriaDocumentos, documentos, outbox } from "~/db/schema";
import { createPostulante } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { pdfText } from "../../../tests/support/pdf-text";
import { normalPdf } from "../../../tests/support/pdfs";
import { createConvocatoriaAbierta, documentosDe, readyToFinalize, uploadDirect } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { buildFicha } from "./build-ficha.server";
import { deleteArchivo } from "./delete-archivo.server";
import { deleteDocumento } from "./delete-documento.server";
import { finalizePostulacion } from "./finalize-postulacion.server";
import { findArchivoPropio, listArchivos } from "./list-archivos.server";
import { moveDocumento } from "./move-documento.server";
import { sweepRetencionArchivos } from "./retencion-archivos.server";
import { useArchivo } from "./use-archivo.server";

const DAY = 24 * 3600_000;

/** Every object the local storage holds (DATA_DIR/files), to see that no new bytes were stored. */
async function storedObjects(s: TestServices): Promise<number> {
  const entries = await readdir(path.join(s.config.dataDir, "files"), { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).length;
}

describe("Mis documentos and several files per type (issue 17)", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("keeps the same bytes once: uploading them again, or using the saved file in another postulación, stores nothing new", async () => {
    const p = await createPostulante(s);
    const [c1, c2] = [await createConvocatoriaAbierta(s), await createConvocatoriaAbierta(s)];
    const dni = await normalPdf(1, "DNI de prueba");
    const first = await uploadDirect(s, p.id, c1.id, "DNI", dni);
    expect(first.reutilizado).toBe(false);
    const objetos = await storedObjects(s);

    const again = await uploadDirect(s, p.id, c2.id, "DNI", dni);
    expect(again).toMatchObject({ reutilizado: true, archivoId: first.archivoId });
    expect(await storedObjects(s)).toBe(objetos);

    const cert = await uploadDirect(s, p.id, c1.id, "EXPERIENCIA", await normalPdf(2, "Certificado"));
    const antes = await storedObjects(s);
    const usado = await useArchivo({ services: s, postulanteId: p.id, convocatoriaId: c2.id, tipo: "EXPERIENCIA", archivoId: cert.archivoId });
    expect(await storedObjects(s)).toBe(antes);
    // A new link, to be confirmed in this postulación as any other file.
    const [link] = await s.db.select().from(documentos).where(eq(documentos.id, usado.documentoId));
    expect(link).toMatchObject({ archivoId: cert.archivoId, tipo: "EXPERIENCIA", confirmadoAt: null });
    expect((await listArchivos(s.db, p.id)).map((a) => a.id).sort()).toEqual([first.archivoId, cert.archivoId].sort());
    // Twice in one type: refused.
    await expectRefusal(
      useArchivo({ services: s, postulanteId: p.id, convocatoriaId: c2.id, tipo: "EXPERIENCIA", archivoId: cert.archivoId }),
      "postulacion.documento_repetido", 409, /ya está cargado/,
    );
  });

  it("never lets another applicant use or read a saved file", async () => {
    const [ana, luis] = [await createPostulante(s), await createPostulante(s)];
    const c = await createConvocatoriaAbierta(s);
    const suyo = await uploadDirect(s, ana.id, c.id, "DNI", await normalPdf(1, "DNI de Ana"));
    await expectRefusal(
      useArchivo({ services: s, postulanteId: luis.id, convocatoriaId: c.id, tipo: "DNI", archivoId: suyo.archivoId }),
      "postulacion.archivo_no_encontrado", 404, /Elija uno de sus documentos/,
    );
    expect(await findArchivoPropio(s.db, luis.id, suyo.archivoId)).toBeNull();
    expect(await findArchivoPropio(s.db, ana.id, suyo.archivoId)).toMatchObject({ filename: "DNI.pdf" });
    await expectRefusal(deleteArchivo({ services: s, postulanteId: luis.id, archivoId: suyo.archivoId }), "postulacion.archivo_no_encontrado", 404, /No encontramos/);
  });

  it("applies the type's size limit to the sum of its files", async () => {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s);
    const a = await normalPdf(3, "Certificado A");
    const b = await normalPdf(3, "Certificado B");
    await s.db
      .update(convocatoriaDocumentos)
      .set({ maxBytes: a.length + b.length - 1 })
      .where(and(eq(convocatoriaDocumentos.convocatoriaId, c.id), eq(convocatoriaDocumentos.tipo, "EXPERIENCIA")));
    const objetos = await storedObjects(s);
    await uploadDirect(s, p.id, c.id, "EXPERIENCIA", a);
    await expectRefusal(uploadDirect(s, p.id, c.id, "EXPERIENCIA", b), "postulacion.tipo_lleno", 413, /superarían juntos/);
    // The refused file left nothing behind: one file stored (clean: its own sanitised copy).
    expect(await storedObjects(s)).toBe(objetos + 1);
    expect(await s.db.select().from(archivos).where(eq(archivos.postulanteId, p.id))).toHaveLength(1);
  });

  it("keeps a type's files in the order shown, which Subir and Bajar change, and the ficha merges and lists them so", async () => {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s);
    const uno = await uploadDirect(s, p.id, c.id, "EXPERIENCIA", await normalPdf(1, "Certificado uno"));
    const dos = await uploadDirect(s, p.id, c.id, "EXPERIENCIA", await normalPdf(2, "Certificado dos"));
    const tres = await uploadDirect(s, p.id, c.id, "EXPERIENCIA", await normalPdf(3, "Certificado tres"));
    const orden = async () => (await documentosDe(s.db, uno.postulacionId)).map((d) => d.id);
    expect(await orden()).toEqual([uno.documentoId, dos.documentoId, tres.documentoId]);

    await moveDocumento({ services: s, postulanteId: p.id, convocatoriaId: c.id, documentoId: tres.documentoId, direccion: "subir" });
    expect(await orden()).toEqual([uno.documentoId, tres.documentoId, dos.documentoId]);
    await moveDocumento({ services: s, postulanteId: p.id, convocatoriaId: c.id, documentoId: uno.documentoId, direccion: "bajar" });
    expect(await orden()).toEqual([tres.documentoId, uno.documentoId, dos.documentoId]);
    // The first cannot go up: nothing changes.
    expect(await moveDocumento({ services: s, postulanteId: p.id, convocatoriaId: c.id, documentoId: tres.documentoId, direccion: "subir" })).toEqual({ movido: false });

    const ficha = await buildFicha({ services: s, postulacionId: uno.postulacionId, actorId: p.id });
    const bytes = await s.storage.getBuffer(ficha.key);
    const cover = await pdfText(bytes, { first: 1, last: 1 });
    expect(cover).toMatch(/Documentos sustentatorios \(3\)/);
    const filas = ["Certificado tres", "Certificado uno", "Certificado dos"];
    // The cover lists each file (name, page range, SHA-256) in the order chosen; the SHA-256 wraps in its column.
    const docs = await documentosDe(s.db, uno.postulacionId);
    const plano = cover.replace(/\s+/g, "");
    const posiciones = docs.map((d) => plano.indexOf(d.sha256));
    expect(posiciones.every((i) => i >= 0)).toBe(true);
    expect([...posiciones].sort((x, y) => x - y)).toEqual(posiciones);
    expect(cover.match(/Sustentos de experiencia:\s+EXPERIENCIA\.pdf/g)).toHaveLength(3);
    let desde = 2;
    for (const d of docs) {
      expect(plano).toContain(`${desde}–${desde + d.pages - 1}`);
      desde += d.pages;
    }
    // The merged ficha: the cover and every file's pages.
    expect(ficha.pages).toBe(1 + docs.reduce((n, d) => n + d.pages, 0));
    const text = await pdfText(bytes, { first: 2 });
    const at = filas.map((f) => text.indexOf(f));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
  });

  it("removes a file from a draft without removing it from Mis documentos; a file of a registered postulación can never be deleted", async () => {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s, { requeridos: ["DNI", "CARNET_EXTRANJERIA", "FICHA_CURRICULAR", "DECLARACIONES_JURADAS"] });
    const pdf = await normalPdf(1, "Documento registrado");
    const postulacionId = await readyToFinalize(s, p.id, c.id, pdf);
    await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    const [registrado] = await documentosDe(s.db, postulacionId);
    await expectRefusal(deleteArchivo({ services: s, postulanteId: p.id, archivoId: registrado!.archivoId }), "postulacion.archivo_en_uso", 409, /postulación registrada/);
    expect(await s.storage.exists(registrado!.originalKey)).toBe(true);

    // A draft: Eliminar removes the link only; deleting the file removes it from the draft too.
    const otra = await createConvocatoriaAbierta(s);
    const borrador = await uploadDirect(s, p.id, otra.id, "EXPERIENCIA", await normalPdf(2, "Solo en borrador"));
    await deleteDocumento({ services: s, postulanteId: p.id, convocatoriaId: otra.id, documentoId: borrador.documentoId });
    const [guardado] = await s.db.select().from(archivos).where(eq(archivos.id, borrador.archivoId));
    expect(guardado).toBeDefined();
    await useArchivo({ services: s, postulanteId: p.id, convocatoriaId: otra.id, tipo: "EXPERIENCIA", archivoId: borrador.archivoId });
    await deleteArchivo({ services: s, postulanteId: p.id, archivoId: borrador.archivoId });
    expect(await documentosDe(s.db, borrador.postulacionId)).toEqual([]);
    expect(await s.storage.exists(guardado!.originalKey)).toBe(false);
  });

  it("Ley 29733: e-mails a notice for files unused and untouched for the configured time, then deletes them if still untouched", async () => {
    const r = await createTestServices({ env: { ARCHIVOS_RETENCION_DIAS: "60", ARCHIVOS_AVISO_DIAS: "10" } });
    try {
      const p = await createPostulante(r);
      const c = await createConvocatoriaAbierta(r);
      const viejo = await uploadDirect(r, p.id, c.id, "EXPERIENCIA", await normalPdf(1, "Viejo"));
      const usado = await uploadDirect(r, p.id, c.id, "DNI", await normalPdf(1, "En uso"));
      const rescatado = await uploadDirect(r, p.id, c.id, "CURSOS_CAPACITACIONES", await normalPdf(1, "Rescatado"));
      for (const d of [viejo, rescatado]) await deleteDocumento({ services: r, postulanteId: p.id, convocatoriaId: c.id, documentoId: d.documentoId });
      const [guardado] = await r.db.select().from(archivos).where(eq(archivos.id, viejo.archivoId));

      r.clock.advance(59 * DAY);
      expect(await sweepRetencionArchivos(r)).toEqual({ avisados: 0, eliminados: 0 });
      r.clock.advance(2 * DAY);
      expect(await sweepRetencionArchivos(r)).toEqual({ avisados: 2, eliminados: 0 });
      const mails = await r.db.select().from(outbox).where(eq(outbox.to, p.email));
      const aviso = mails.find((m) => m.subject.includes("serán eliminados"))!;
      expect(aviso.text).toMatch(/Ley N° 29733/);
      expect(aviso.text).toContain(guardado!.sha256);
      expect(aviso.text).not.toContain(usado.archivoId);
      // A second run the same day sends nothing more.
      expect(await sweepRetencionArchivos(r)).toEqual({ avisados: 0, eliminados: 0 });

      // Used again before the deadline: kept (and its notice forgotten).
      const nueva = await createConvocatoriaAbierta(r);
      await useArchivo({ services: r, postulanteId: p.id, convocatoriaId: nueva.id, tipo: "CURSOS_CAPACITACIONES", archivoId: rescatado.archivoId });
      r.clock.advance(9 * DAY);
      expect(await sweepRetencionArchivos(r)).toEqual({ avisados: 0, eliminados: 0 });
      r.clock.advance(1 * DAY);
      expect(await sweepRetencionArchivos(r)).toEqual({ avisados: 0, eliminados: 1 });
      expect(await r.db.select().from(archivos).where(eq(archivos.id, viejo.archivoId))).toEqual([]);
      expect(await r.storage.exists(guardado!.originalKey)).toBe(false);
      expect((await r.db.select().from(archivos).where(eq(archivos.postulanteId, p.id))).map((a) => a.id).sort()).toEqual([usado.archivoId, rescatado.archivoId].sort());
    } finally {
      await r.close();
    }
  });
});
