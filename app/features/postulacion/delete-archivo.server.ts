import { and, eq, inArray, sql } from "drizzle-orm";
import { archivos, documentos, postulaciones } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import { deleteQuietly } from "./upload-documento.server";

export const archivoNoEncontrado = () =>
  new AppError("postulacion.archivo_no_encontrado", "No encontramos ese documento en Mis documentos.", { status: 404, logCause: "archivo not found or not the owner" });

/**
 * "Eliminar" in Mis documentos (issue 17). A file a registered postulación uses belongs to
 * that postulación's record, which is immutable: refused (409). A file drafts use is removed
 * from them too (their version bumped: the ficha is rebuilt; the draft then lacks it, as after
 * its own "Eliminar") — the applicant asked for the file to be gone, and a draft is not a
 * record yet. One transaction: the drafts locked first (the same conditional lock as every
 * change of their documents, so a concurrent "Aceptar" either sees the file gone or has
 * registered and then this refuses), the links, the row, the audit line; the stored bytes after
 * COMMIT (never while a row points to them).
 */
export async function deleteArchivo(options: { services: Pick<Services, "db" | "clock" | "storage" | "logger">; postulanteId: string; archivoId: string }) {
  const { services, postulanteId, archivoId } = options;
  const { db, clock } = services;
  if (!isUuid(archivoId)) throw archivoNoEncontrado();
  const removed = await db.transaction(async (tx) => {
    const now = clock.now();
    const [archivo] = await tx
      .select()
      .from(archivos)
      .where(and(eq(archivos.id, archivoId), eq(archivos.postulanteId, postulanteId)))
      .for("update");
    if (!archivo) throw archivoNoEncontrado();
    const usos = await tx
      .select({ postulacionId: documentos.postulacionId })
      .from(documentos)
      .where(eq(documentos.archivoId, archivoId));
    const ids = [...new Set(usos.map((u) => u.postulacionId))];
    if (ids.length) {
      // Locks every postulación that uses it; any that is no longer a draft keeps the file.
      const drafts = await tx
        .update(postulaciones)
        .set({ documentosVersion: sql`${postulaciones.documentosVersion} + 1`, updatedAt: now })
        .where(and(inArray(postulaciones.id, ids), eq(postulaciones.estado, "en_registro")))
        .returning({ id: postulaciones.id });
      if (drafts.length < ids.length) throw enUsoRegistrada();
      await tx.delete(documentos).where(eq(documentos.archivoId, archivoId));
      for (const d of drafts) {
        await audit(tx, { type: "postulante", id: postulanteId }, "documento.eliminado", { type: "postulacion", id: d.id }, {
          archivoId,
          sha256: archivo.sha256,
          desdeMisDocumentos: true,
        });
      }
    }
    await tx.delete(archivos).where(eq(archivos.id, archivoId));
    await audit(tx, { type: "postulante", id: postulanteId }, "archivo.eliminado", { type: "postulante", id: postulanteId }, {
      archivoId,
      sha256: archivo.sha256,
      postulaciones: ids,
    });
    return archivo;
  });
  await deleteQuietly(services, [removed.originalKey, removed.sanitizedKey]);
  return { filename: removed.filename };
}

const enUsoRegistrada = () =>
  new AppError(
    "postulacion.archivo_en_uso",
    "No se puede eliminar: este documento forma parte de una postulación registrada, que no admite cambios.",
    { status: 409, logCause: "archivo used by a registered postulación" },
  );
