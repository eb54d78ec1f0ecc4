import { and, asc, desc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, convocatorias, documentos, postulaciones, tiposDocumento } from "~/db/schema";
import { isUuid } from "~/shared/ids";

/**
 * "Mis documentos": the applicant's stored files, newest first, each with its type's name (the
 * catalogue's), and the postulaciones that use it (convocatoria, state): a file a registrada
 * postulación uses cannot be deleted (`bloqueado`).
 */
export async function listArchivos(db: Db, postulanteId: string) {
  const [rows, usos] = await Promise.all([
    db
      .select({ archivo: archivos, tipoNombre: tiposDocumento.nombre })
      .from(archivos)
      .leftJoin(tiposDocumento, eq(tiposDocumento.codigo, archivos.tipo))
      .where(eq(archivos.postulanteId, postulanteId))
      .orderBy(desc(archivos.uploadedAt), asc(archivos.filename)),
    db
      .selectDistinct({ archivoId: documentos.archivoId, codigo: convocatorias.codigo, estado: postulaciones.estado })
      .from(documentos)
      .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
      .innerJoin(convocatorias, eq(convocatorias.id, postulaciones.convocatoriaId))
      .where(eq(postulaciones.postulanteId, postulanteId)),
  ]);
  return rows.map(({ archivo: a, tipoNombre }) => {
    const enUso = usos.filter((u) => u.archivoId === a.id).map((u) => ({ codigo: u.codigo, registrada: u.estado !== "en_registro" }));
    return {
      id: a.id,
      tipo: a.tipo,
      tipoNombre: tipoNombre ?? a.tipo,
      filename: a.filename,
      pages: a.pages,
      size: a.size,
      sha256: a.sha256,
      uploadedAt: a.uploadedAt.toISOString(),
      usos: enUso,
      bloqueado: enUso.some((u) => u.registrada),
    };
  });
}

export type ArchivoGuardado = Awaited<ReturnType<typeof listArchivos>>[number];

/** "Descargar" in Mis documentos: the owner's own file (null for an unknown id and for anyone else alike). */
export async function findArchivoPropio(db: Db, postulanteId: string, archivoId: string) {
  if (!isUuid(archivoId)) return null;
  const [row] = await db
    .select({ originalKey: archivos.originalKey, filename: archivos.filename, size: archivos.size })
    .from(archivos)
    .where(and(eq(archivos.id, archivoId), eq(archivos.postulanteId, postulanteId)));
  return row ?? null;
}
