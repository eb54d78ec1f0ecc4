import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, convocatoriaDocumentos, documentos, postulaciones, postulacionEvidencias } from "~/db/schema";
import { parsePaginas, type Rango, type Requisito } from "./evidencias";

/** One (requirement, file, pages) of a postulación's "Sustento de requisitos del perfil", with what its file is. */
export type Evidencia = {
  postulacionId: string;
  requisito: Requisito;
  documentoId: string;
  paginas: string;
  rangos: Rango[];
  tipo: string;
  tipoNombre: string;
  filename: string;
  pages: number;
};

/**
 * The evidence of these postulaciones, in the perfil's order of requirements and then the
 * applicant's: one query for a whole page of the HR's scoring table. Each file is named as the
 * convocatoria names its type.
 */
export async function listEvidencias(db: Db, postulacionIds: readonly string[]): Promise<Evidencia[]> {
  if (!postulacionIds.length) return [];
  const rows = await db
    .select({
      postulacionId: postulacionEvidencias.postulacionId,
      requisito: postulacionEvidencias.requisito,
      documentoId: postulacionEvidencias.documentoId,
      paginas: postulacionEvidencias.paginas,
      tipo: documentos.tipo,
      tipoNombre: convocatoriaDocumentos.nombre,
      filename: archivos.filename,
      pages: archivos.pages,
    })
    .from(postulacionEvidencias)
    .innerJoin(documentos, eq(documentos.id, postulacionEvidencias.documentoId))
    .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
    .innerJoin(postulaciones, eq(postulaciones.id, postulacionEvidencias.postulacionId))
    .leftJoin(
      convocatoriaDocumentos,
      and(eq(convocatoriaDocumentos.convocatoriaId, postulaciones.convocatoriaId), eq(convocatoriaDocumentos.tipo, documentos.tipo)),
    )
    .where(inArray(postulacionEvidencias.postulacionId, [...postulacionIds]))
    // The enum's order is the perfil's.
    .orderBy(asc(postulacionEvidencias.postulacionId), asc(postulacionEvidencias.requisito), asc(postulacionEvidencias.orden));
  return rows.map((r) => ({ ...r, tipoNombre: r.tipoNombre ?? r.tipo, rangos: parsePaginas(r.paginas) ?? [] }));
}
