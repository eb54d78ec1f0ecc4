import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, documentos, postulaciones } from "~/db/schema";
import type { Principal } from "~/platform/session.server";
import { canReadPostulacion } from "./access.server";

/**
 * "Ver": one uploaded document (the original as received) for whoever may read its
 * postulación (canReadPostulacion); null for an unknown document and for anyone else alike.
 */
export async function findDocumentoLegible(db: Db, principal: Principal, documentoId: string) {
  const [row] = await db
    .select({ doc: archivos, postulanteId: postulaciones.postulanteId, convocatoriaId: postulaciones.convocatoriaId })
    .from(documentos)
    .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
    .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
    .where(eq(documentos.id, documentoId));
  if (!row || !canReadPostulacion(principal, row)) return null;
  return { originalKey: row.doc.originalKey, filename: row.doc.filename, size: row.doc.size };
}
