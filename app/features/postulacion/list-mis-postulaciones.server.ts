import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias, documentos, postulaciones } from "~/db/schema";
import { ventanaAbierta } from "~/features/convocatorias/estado";
import { ESTADO_POSTULACION_LABEL, type EstadoPostulacion } from "./estado";

export { ESTADO_POSTULACION_LABEL };

/**
 * The applicant's postulaciones among some convocatorias (those a page shows): convocatoria
 * id → estado. One query on the (postulante, convocatoria) unique index.
 */
export async function estadosDeMisPostulaciones(
  db: Db,
  postulanteId: string,
  convocatoriaIds: readonly string[],
): Promise<Record<string, EstadoPostulacion>> {
  if (!convocatoriaIds.length) return {};
  const rows = await db
    .select({ convocatoriaId: postulaciones.convocatoriaId, estado: postulaciones.estado })
    .from(postulaciones)
    .where(and(eq(postulaciones.postulanteId, postulanteId), inArray(postulaciones.convocatoriaId, [...convocatoriaIds])));
  return Object.fromEntries(rows.map((r) => [r.convocatoriaId, r.estado]));
}

/**
 * "Mis postulaciones": the applicant's postulaciones, newest first, with their convocatoria,
 * how many documents each has and whether its window is open (by `now`, the server's clock:
 * a draft is continued, a registrada one may be withdrawn, only then).
 */
export async function listMisPostulaciones(db: Db, postulanteId: string, now: Date) {
  const rows = await db
    .select({
      id: postulaciones.id,
      convocatoriaId: postulaciones.convocatoriaId,
      codigo: convocatorias.codigo,
      puesto: convocatorias.puesto,
      convocatoriaEstado: convocatorias.estado,
      postulacionInicio: convocatorias.postulacionInicio,
      postulacionFin: convocatorias.postulacionFin,
      estado: postulaciones.estado,
      numero: postulaciones.numero,
      finalizadaAt: postulaciones.finalizadaAt,
      desistidaAt: postulaciones.desistidaAt,
      hasDesistimiento: postulaciones.constanciaDesistimientoKey,
      createdAt: postulaciones.createdAt,
      hasConstancia: postulaciones.constanciaKey,
      documentos: sql<number>`(select count(*) from ${documentos} d where d.postulacion_id = ${postulaciones.id})::int`,
    })
    .from(postulaciones)
    .innerJoin(convocatorias, eq(convocatorias.id, postulaciones.convocatoriaId))
    .where(eq(postulaciones.postulanteId, postulanteId))
    .orderBy(desc(postulaciones.createdAt));
  return rows.map((r) => ({
    id: r.id,
    convocatoriaId: r.convocatoriaId,
    codigo: r.codigo,
    puesto: r.puesto,
    estado: r.estado,
    estadoLabel: ESTADO_POSTULACION_LABEL[r.estado] ?? r.estado,
    numero: r.numero,
    /** Finalization time when registrada, else when the draft began. */
    fecha: (r.finalizadaAt ?? r.createdAt).toISOString(),
    constancia: Boolean(r.hasConstancia),
    /** When a desistida was withdrawn; its constancia de desistimiento. */
    desistidaAt: r.desistidaAt?.toISOString() ?? null,
    constanciaDesistimiento: Boolean(r.hasDesistimiento),
    documentos: Number(r.documentos),
    abierta: ventanaAbierta({ estado: r.convocatoriaEstado, postulacionInicio: r.postulacionInicio, postulacionFin: r.postulacionFin }, now),
  }));
}
