import { and, eq } from "drizzle-orm";
import { archivos, documentos, postulaciones } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { isUuid } from "~/shared/ids";
import { bumpDraft } from "./documentos-tipo.server";
import { noEncontrada } from "./errors";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante } from "./ventana.server";

/**
 * "Eliminar": removes one file from the applicant's draft, inside the window. The file stays
 * in Mis documentos (its stored bytes are the vault's, not the postulación's): only the link
 * goes, in one transaction with the version bump and the audit row, and the file is touched
 * (its retention period starts again).
 */
export async function deleteDocumento(options: {
  services: Pick<Services, "db" | "clock">;
  postulanteId: string;
  convocatoriaId: string;
  documentoId: string;
}): Promise<{ tipo: string }> {
  const { postulanteId, documentoId } = options;
  return cambiarDocumento(options, async (tx, doc, now, version) => {
    const [row] = await tx.delete(documentos).where(eq(documentos.id, documentoId)).returning();
    if (!row) throw noEncontrada();
    await tx.update(archivos).set({ lastUsedAt: now, avisoRetencionAt: null }).where(eq(archivos.id, row.archivoId));
    await audit(tx, { type: "postulante", id: postulanteId }, "documento.eliminado", { type: "postulacion", id: doc.postulacionId }, {
      tipo: row.tipo,
      documentoId,
      archivoId: row.archivoId,
      sha256: doc.sha256,
      documentosVersion: version,
    });
    return { tipo: row.tipo };
  });
}

/**
 * A change to one file of the applicant's draft (Eliminar, Subir, Bajar): in one transaction,
 * the file found among the applicant's own (404 otherwise), the draft locked and its version
 * bumped (409 once registrada), the window checked by the clock now; then `cambio`.
 */
export async function cambiarDocumento<T>(
  options: { services: Pick<Services, "db" | "clock">; postulanteId: string; convocatoriaId: string; documentoId: string },
  cambio: (tx: Services["db"], doc: Awaited<ReturnType<typeof documentoPropio>>, now: Date, version: number) => Promise<T>,
): Promise<T> {
  const { services, postulanteId, convocatoriaId, documentoId } = options;
  const { db, clock } = services;
  if (!isUuid(documentoId)) throw noEncontrada();
  const { convocatoria } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  return db.transaction(async (tx) => {
    const doc = await documentoPropio(tx, { postulanteId, convocatoriaId, documentoId });
    const now = clock.now();
    const version = await bumpDraft(tx, doc.postulacionId, now);
    assertVentanaAbierta(convocatoria, now);
    return cambio(tx, doc, now, version);
  });
}

/** A documento of the applicant's postulación to this convocatoria (404 for anyone else's or none). */
async function documentoPropio(
  tx: Services["db"],
  options: { postulanteId: string; convocatoriaId: string; documentoId: string },
) {
  const [doc] = await tx
    .select({ id: documentos.id, postulacionId: documentos.postulacionId, tipo: documentos.tipo, orden: documentos.orden, sha256: archivos.sha256 })
    .from(documentos)
    .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
    .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
    .where(
      and(
        eq(documentos.id, options.documentoId),
        eq(postulaciones.postulanteId, options.postulanteId),
        eq(postulaciones.convocatoriaId, options.convocatoriaId),
      ),
    );
  if (!doc) throw noEncontrada();
  return doc;
}
