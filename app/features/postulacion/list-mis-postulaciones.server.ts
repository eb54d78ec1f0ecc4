import { desc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias, postulaciones } from "~/db/schema";

export const ESTADO_POSTULACION_LABEL: Record<string, string> = {
  en_registro: "En registro",
  registrada: "Registrada",
};

/** "Mis postulaciones": the applicant's postulaciones, newest first, with their convocatoria. */
export async function listMisPostulaciones(db: Db, postulanteId: string) {
  const rows = await db
    .select({
      id: postulaciones.id,
      convocatoriaId: postulaciones.convocatoriaId,
      codigo: convocatorias.codigo,
      puesto: convocatorias.puesto,
      estado: postulaciones.estado,
      numero: postulaciones.numero,
      finalizadaAt: postulaciones.finalizadaAt,
      createdAt: postulaciones.createdAt,
      hasConstancia: postulaciones.constanciaKey,
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
  }));
}
