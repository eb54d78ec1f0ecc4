import { and, eq, sql } from "drizzle-orm";
import { documentos, postulaciones } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { isUuid } from "~/shared/ids";
import { noEncontrada, yaRegistrada } from "./errors";
import { deleteQuietly } from "./upload-documento.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante } from "./ventana.server";

/**
 * "Eliminar": removes one document of the applicant's draft, inside the window. The row
 * goes in one transaction (with the version bump and the audit row); its files after COMMIT.
 */
export async function deleteDocumento(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  documentoId: string;
}): Promise<{ tipo: string }> {
  const { services, postulanteId, convocatoriaId, documentoId } = options;
  const { db, clock } = services;
  if (!isUuid(documentoId)) throw noEncontrada();
  const { convocatoria } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  const removed = await db.transaction(async (tx) => {
    const [doc] = await tx
      .select({ id: documentos.id, postulacionId: documentos.postulacionId, estado: postulaciones.estado })
      .from(documentos)
      .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
      .where(
        and(
          eq(documentos.id, documentoId),
          eq(postulaciones.postulanteId, postulanteId),
          eq(postulaciones.convocatoriaId, convocatoriaId),
        ),
      );
    if (!doc) throw noEncontrada();
    const [bumped] = await tx
      .update(postulaciones)
      .set({ documentosVersion: sql`${postulaciones.documentosVersion} + 1`, updatedAt: clock.now() })
      .where(and(eq(postulaciones.id, doc.postulacionId), eq(postulaciones.estado, "en_registro")))
      .returning({ version: postulaciones.documentosVersion });
    if (!bumped) throw yaRegistrada();
    assertVentanaAbierta(convocatoria, clock.now());
    const [row] = await tx.delete(documentos).where(eq(documentos.id, documentoId)).returning();
    if (!row) throw noEncontrada();
    await audit(tx, { type: "postulante", id: postulanteId }, "documento.eliminado", { type: "postulacion", id: doc.postulacionId }, {
      tipo: row.tipo,
      documentoId,
      sha256: row.sha256,
      documentosVersion: bumped.version,
    });
    return row;
  });
  await deleteQuietly(services, [removed.originalKey, removed.sanitizedKey]);
  return { tipo: removed.tipo };
}
