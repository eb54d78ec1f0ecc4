import { rm } from "node:fs/promises";
import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, convocatoriaDocumentos, documentos } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { ANTIVIRUS_MESSAGES, AntivirusError, type Antivirus } from "~/platform/antivirus.server";
import { audit } from "~/platform/audit.server";
import { sha256File } from "~/platform/file-hash.server";
import { inspectPdf } from "~/platform/pdf/inspect.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { yaRegistrada } from "./errors";
import { assertCabeEnTipo, bumpDraft, ocupacionDelTipo } from "./documentos-tipo.server";
import { cleanFileName } from "~/shared/file-name";
import type { UploadedFile } from "~/shared/uploaded-file";
import { archivoKeys } from "./keys";
import { startPostulacion, type Postulacion } from "./start-postulacion.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante, type ConvocatoriaParaPostulante } from "./ventana.server";

/**
 * The checks of "CARGAR" that need no file: the convocatoria, its window (by the clock now),
 * the type among those it asks for, and the applicant's draft (created if none). The HTTP
 * route starts them as soon as the fields before the file are read, so that they run while
 * the file arrives; uploadDocumento awaits them (or runs them itself). Throws AppError.
 */
export async function prepararCarga(options: {
  services: Pick<Services, "db" | "clock">;
  postulanteId: string;
  convocatoriaId: string;
  tipo: string;
}): Promise<CargaPreparada> {
  const { services, postulanteId, convocatoriaId, tipo } = options;
  const { db, clock } = services;
  const loaded = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  assertVentanaAbierta(loaded.convocatoria, clock.now());
  const aceptado = loaded.tipos.find((t) => t.code === tipo);
  if (!aceptado) {
    throw new AppError("postulacion.tipo_no_aceptado", "Seleccione un tipo de documento de la lista.", { field: "tipo", logCause: "type not accepted" });
  }
  const { postulacion } = await startPostulacion({ db, postulanteId, convocatoriaId, now: clock.now(), loaded });
  if (postulacion.estado !== "en_registro") throw yaRegistrada();
  return { tipo, nombre: aceptado.label, maxBytes: aceptado.maxBytes, convocatoria: loaded.convocatoria, postulacion };
}

/**
 * Each type's size limit as the convocatoria keeps it, read before the body so that the
 * upload reader cuts the file at its type's limit while it streams in (none: not a convocatoria).
 */
export async function limitesDeCarga(db: Db, convocatoriaId: string): Promise<Map<string, number>> {
  if (!isUuid(convocatoriaId)) return new Map();
  const rows = await db
    .select({ tipo: convocatoriaDocumentos.tipo, maxBytes: convocatoriaDocumentos.maxBytes })
    .from(convocatoriaDocumentos)
    .where(eq(convocatoriaDocumentos.convocatoriaId, convocatoriaId));
  return new Map(rows.map((r) => [r.tipo, r.maxBytes]));
}

export type CargaPreparada = {
  tipo: string;
  /** The type's name and size limit as the convocatoria keeps them. */
  nombre: string;
  maxBytes: number;
  convocatoria: ConvocatoriaParaPostulante["convocatoria"];
  postulacion: Postulacion;
};

/**
 * "CARGAR" (seed 2.1.4; several files per type, issue 17): one PDF added to the type's files,
 * after those already there, and kept in the applicant's Mis documentos.
 *
 * The same bytes already in Mis documentos (same SHA-256) are not scanned, inspected nor
 * stored again: the postulación uses the stored file (`reutilizado`). Otherwise, order of
 * work, so that a crash (even SIGKILL) at any moment leaves either no row or a row whose
 * files exist: checks (prepararCarga) → antivirus → PDF inspection (child process; a
 * sanitised copy only when the file has active content) → the file(s) written to storage →
 * ONE transaction (conditional on the draft state and on the window, by the clock at that
 * moment): the archivo row (unless a concurrent upload of the same bytes made it first), the
 * documento row at the type's last position, the type's files within its size limit
 * together, the postulación's documentosVersion bumped (the ficha is rebuilt), the audit row.
 * A failed transaction — or one that found the archivo made by another — deletes the new
 * files; files left by a crash belong to no row, are never served and are swept.
 *
 * A file without active content is its own sanitised copy: the row's sanitizedKey is its
 * originalKey (one stored object). Local storage moves the temp files into place.
 */
export async function uploadDocumento(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  tipo: string;
  file: UploadedFile;
  /** prepararCarga for this postulante, convocatoria and tipo, when already started; run here otherwise. */
  preparada?: Promise<CargaPreparada>;
  /** clamd (INSTREAM) when CLAMD_URL is set: every upload scanned before it is accepted. */
  antivirus?: Antivirus;
}): Promise<{ documentoId: string; archivoId: string; postulacionId: string; reutilizado: boolean; pages: number; tipoNombre: string }> {
  const { services, postulanteId, convocatoriaId, tipo, file } = options;
  const { db, storage, clock } = services;
  const sanitizedPath = `${file.path}.sanitizado`;
  try {
    const preparada = await (options.preparada ?? prepararCarga({ services, postulanteId, convocatoriaId, tipo }));
    if (preparada.tipo !== tipo) throw new Error("prepararCarga was run for another tipo");
    const { convocatoria, postulacion } = preparada;
    // The convocatoria's own limit for the type: a later change to the catalogue does not move it.
    if (file.size > preparada.maxBytes) throw tooLarge(preparada.maxBytes);

    const sha256 = file.sha256 ?? (await sha256File(file.path)).sha256;
    const guardado = await archivoPorContenido(db, postulanteId, sha256);
    let stored: string[] = [];
    let nuevo: typeof archivos.$inferInsert | undefined;
    if (!guardado) {
      await scanAndInspect(services, file.path, sanitizedPath, options.antivirus).then(async (pages) => {
        const keys = archivoKeys(postulanteId);
        const original = await storage.putFile(keys.original, file.path, { move: true, sha256 });
        stored = [keys.original];
        const sanitized = pages.sanitized ? await storage.putFile(keys.sanitized, sanitizedPath, { move: true }) : { key: keys.original, size: original.size };
        if (sanitized.key !== keys.original) stored.push(sanitized.key);
        const now = clock.now();
        nuevo = {
          postulanteId,
          tipo,
          filename: cleanFileName(file.filename),
          size: original.size,
          sha256: original.sha256,
          pages: pages.pages,
          originalKey: keys.original,
          sanitizedKey: sanitized.key,
          sanitizedSize: sanitized.size,
          uploadedAt: now,
          lastUsedAt: now,
        };
      });
    }
    try {
      const result = await db.transaction(async (tx) => {
        const now = clock.now();
        const version = await bumpDraft(tx, postulacion.id, now);
        assertVentanaAbierta(convocatoria, now);
        let archivo = guardado;
        let creado = false;
        if (nuevo) {
          [archivo] = await tx.insert(archivos).values(nuevo).onConflictDoNothing().returning();
          creado = Boolean(archivo);
          // A concurrent upload of the same bytes stored them first: use its row.
          archivo ??= await archivoPorContenido(tx, postulanteId, nuevo.sha256);
        }
        if (!archivo) throw new Error("archivo vanished while uploading");
        const documentoId = await agregarAlTipo(tx, { postulacionId: postulacion.id, tipo, archivo, maxBytes: preparada.maxBytes, now, field: "archivo" });
        await audit(tx, { type: "postulante", id: postulanteId }, "documento.cargado", { type: "postulacion", id: postulacion.id }, {
          tipo,
          documentoId,
          archivoId: archivo.id,
          sha256: archivo.sha256,
          size: archivo.size,
          pages: archivo.pages,
          reutilizado: !creado,
          documentosVersion: version,
        });
        return { documentoId, archivo, creado };
      });
      if (result.creado) stored = [];
      return {
        documentoId: result.documentoId,
        archivoId: result.archivo.id,
        postulacionId: postulacion.id,
        reutilizado: !result.creado,
        pages: result.archivo.pages,
        tipoNombre: preparada.nombre,
      };
    } finally {
      if (stored.length) await deleteQuietly(services, stored);
    }
  } finally {
    await rm(file.path, { force: true });
    await rm(sanitizedPath, { force: true });
  }
}

type Archivo = typeof archivos.$inferSelect;

/** The applicant's stored file with these bytes (Mis documentos keeps one per content), if any. */
export async function archivoPorContenido(db: Db, postulanteId: string, sha256: string): Promise<Archivo | undefined> {
  const [row] = await db.select().from(archivos).where(and(eq(archivos.postulanteId, postulanteId), eq(archivos.sha256, sha256)));
  return row;
}

/**
 * Inside the transaction that bumped the draft: a stored file added as the type's last one —
 * not twice to the same type, and within the type's size limit together with the others —
 * and the file touched (used now: its retention period starts again). Returns the documento id.
 */
export async function agregarAlTipo(
  tx: Db,
  options: { postulacionId: string; tipo: string; archivo: Archivo; maxBytes: number; now: Date; field: string },
): Promise<string> {
  const { postulacionId, tipo, archivo, now } = options;
  const [repetido] = await tx
    .select({ id: documentos.id })
    .from(documentos)
    .where(and(eq(documentos.postulacionId, postulacionId), eq(documentos.tipo, tipo), eq(documentos.archivoId, archivo.id)));
  if (repetido) {
    throw new AppError("postulacion.documento_repetido", "Ese archivo ya está cargado en este tipo de documento.", {
      status: 409,
      field: options.field,
      logCause: "same file twice in one type",
    });
  }
  const ocupado = await ocupacionDelTipo(tx, postulacionId, tipo);
  assertCabeEnTipo(ocupado.bytes, archivo.size, options.maxBytes, options.field);
  const [row] = await tx
    .insert(documentos)
    .values({ postulacionId, tipo, archivoId: archivo.id, orden: ocupado.siguiente })
    .returning({ id: documentos.id });
  await tx.update(archivos).set({ lastUsedAt: now, avisoRetencionAt: null }).where(eq(archivos.id, archivo.id));
  return row!.id;
}

/** The antivirus (when set), then the PDF inspection; returns the pages and whether a sanitised copy was written. */
async function scanAndInspect(services: Services, filePath: string, sanitizedPath: string, antivirus: Antivirus | undefined) {
  const { logger } = services;
  // The antivirus sees the bytes first: malware never reaches the PDF parser, and an
  // infected file is refused as such whatever its format.
  if (antivirus) {
    let verdict;
    try {
      verdict = await antivirus.scan(filePath);
    } catch (error) {
      if (!(error instanceof AntivirusError)) throw error;
      logger.error({ err: error.message }, "upload refused: antivirus unavailable");
      throw new AppError("postulacion.antivirus_no_disponible", ANTIVIRUS_MESSAGES.unavailable, { status: 503, field: "archivo", logCause: "antivirus unavailable" });
    }
    if (!verdict.clean) {
      logger.warn({ signature: verdict.signature }, "upload refused: infected");
      throw new AppError("postulacion.archivo_infectado", ANTIVIRUS_MESSAGES.infected, { field: "archivo", logCause: "infected" });
    }
  }
  const inspection = await inspectPdf(filePath, { sanitizedOutputPath: sanitizedPath, sanitizedCopy: "if-active" });
  if (!inspection.ok) {
    logger.info({ code: inspection.code, detail: inspection.detail }, "upload refused by the PDF inspection");
    throw new AppError("postulacion.pdf_rechazado", inspection.message, { status: inspection.code === "busy" ? 503 : 422, field: "archivo", logCause: inspection.code });
  }
  if (inspection.deferred) logger.info({ reason: inspection.deferred }, "PDF sanitised by pdf-lib");
  return { pages: inspection.pages, sanitized: inspection.sanitizedSize !== undefined };
}

export function tooLarge(limit: number) {
  return new AppError(
    "postulacion.archivo_muy_grande",
    `El archivo supera el tamaño máximo permitido para este tipo de documento (${Math.round(limit / 1024 / 1024)} MB).`,
    { status: 413, field: "archivo", logCause: "file too large" },
  );
}

/** Files no row points to any more (or never did); a failure only leaves an unreferenced file. */
export async function deleteQuietly(services: Pick<Services, "storage" | "logger">, keys: string[]): Promise<void> {
  await Promise.all(
    // A clean file's sanitizedKey is its originalKey: one object.
    [...new Set(keys)].map((key) =>
      services.storage.delete(key).catch((error: unknown) => {
        services.logger.warn({ err: (error as Error).message }, "stored file could not be deleted");
      }),
    ),
  );
}
