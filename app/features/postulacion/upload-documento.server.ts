import { rm } from "node:fs/promises";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatoriaDocumentos, documentos, postulaciones } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { ANTIVIRUS_MESSAGES, AntivirusError, type Antivirus } from "~/platform/antivirus.server";
import { audit } from "~/platform/audit.server";
import { inspectPdf } from "~/platform/pdf/inspect.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { yaRegistrada } from "./errors";
import { cleanFileName } from "~/shared/file-name";
import type { UploadedFile } from "~/shared/uploaded-file";
import { documentoKeys } from "./keys";
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
 * "CARGAR" (seed 2.1.4): one supporting document, replacing the type's previous one.
 *
 * Order of work, so that a crash (even SIGKILL) at any moment leaves either no row or a
 * row whose files exist: checks (prepararCarga) → antivirus →
 * PDF inspection (child process; a sanitised copy only when the file has active content)
 * → the file(s) written to storage → ONE transaction (conditional on the draft
 * state and on the window, by the clock at that moment): the documento row, the
 * postulación's documentosVersion bumped (the ficha is rebuilt), the audit row → after
 * COMMIT the replaced document's files are deleted. A failed transaction deletes the new
 * files; files left by a crash belong to no row and are never served.
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
}): Promise<{ documentoId: string; postulacionId: string; reemplazo: boolean; pages: number; tipoNombre: string }> {
  const { services, postulanteId, convocatoriaId, tipo, file } = options;
  const { db, storage, clock, logger } = services;
  const sanitizedPath = `${file.path}.sanitizado`;
  try {
    const preparada = await (options.preparada ?? prepararCarga({ services, postulanteId, convocatoriaId, tipo }));
    if (preparada.tipo !== tipo) throw new Error("prepararCarga was run for another tipo");
    const { convocatoria, postulacion } = preparada;
    // The convocatoria's own limit for the type: a later change to the catalogue does not move it.
    if (file.size > preparada.maxBytes) throw tooLarge(preparada.maxBytes);

    // The antivirus sees the bytes first: malware never reaches the PDF parser, and an
    // infected file is refused as such whatever its format.
    if (options.antivirus) {
      let verdict;
      try {
        verdict = await options.antivirus.scan(file.path);
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

    const inspection = await inspectPdf(file.path, { sanitizedOutputPath: sanitizedPath, sanitizedCopy: "if-active" });
    if (!inspection.ok) {
      logger.info({ code: inspection.code, detail: inspection.detail }, "upload refused by the PDF inspection");
      throw new AppError("postulacion.pdf_rechazado", inspection.message, { status: inspection.code === "busy" ? 503 : 422, field: "archivo", logCause: inspection.code });
    }
    if (inspection.deferred) logger.info({ reason: inspection.deferred }, "PDF sanitised by pdf-lib");

    const keys = documentoKeys(postulacion.id);
    const original = await storage.putFile(keys.original, file.path, { move: true, sha256: file.sha256 });
    let stored = [keys.original];
    try {
      const sanitized =
        inspection.sanitizedSize === undefined
          ? { key: keys.original, size: original.size }
          : await storage.putFile(keys.sanitized, sanitizedPath, { move: true });
      if (sanitized.key !== keys.original) stored.push(sanitized.key);
      const result = await db.transaction(async (tx) => {
        // Locks the postulación: a concurrent finalization either sees this document
        // (and the new version) or has already made the postulación immutable.
        const [bumped] = await tx
          .update(postulaciones)
          .set({ documentosVersion: sql`${postulaciones.documentosVersion} + 1`, updatedAt: clock.now() })
          .where(and(eq(postulaciones.id, postulacion.id), eq(postulaciones.estado, "en_registro")))
          .returning({ version: postulaciones.documentosVersion });
        if (!bumped) throw yaRegistrada();
        assertVentanaAbierta(convocatoria, clock.now());
        const [old] = await tx
          .delete(documentos)
          .where(and(eq(documentos.postulacionId, postulacion.id), eq(documentos.tipo, tipo)))
          .returning();
        const [row] = await tx
          .insert(documentos)
          .values({
            postulacionId: postulacion.id,
            tipo,
            filename: cleanFileName(file.filename),
            size: original.size,
            sha256: original.sha256,
            pages: inspection.pages,
            originalKey: keys.original,
            sanitizedKey: sanitized.key,
            sanitizedSize: sanitized.size,
            uploadedAt: clock.now(),
          })
          .returning({ id: documentos.id });
        await audit(tx, { type: "postulante", id: postulanteId }, "documento.cargado", { type: "postulacion", id: postulacion.id }, {
          tipo,
          documentoId: row!.id,
          sha256: original.sha256,
          size: original.size,
          pages: inspection.pages,
          reemplazo: Boolean(old),
          documentosVersion: bumped.version,
        });
        return { documentoId: row!.id, old };
      });
      stored = [];
      if (result.old) await deleteQuietly(services, [result.old.originalKey, result.old.sanitizedKey]);
      return {
        documentoId: result.documentoId,
        postulacionId: postulacion.id,
        reemplazo: Boolean(result.old),
        pages: inspection.pages,
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
