import { and, asc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulaciones, postulantes } from "~/db/schema";
import { apellidosNombres } from "./load-evaluacion.server";

/**
 * The desistidas of a convocatoria (issue 17), by number: the applicant withdrew them while the
 * window was open, so they are out of the evaluation (loadEvaluacion reads registradas only),
 * and the HR office still sees each one with its dates and reason (the list, the Excel).
 */
export async function listDesistidas(db: Db, convocatoriaId: string) {
  const rows = await db
    .select({
      id: postulaciones.id,
      numero: postulaciones.numero,
      nombres: postulantes.nombres,
      apellidoPaterno: postulantes.apellidoPaterno,
      apellidoMaterno: postulantes.apellidoMaterno,
      tipoDocumento: postulantes.tipoDocumento,
      numeroDocumento: postulantes.numeroDocumento,
      finalizadaAt: postulaciones.finalizadaAt,
      desistidaAt: postulaciones.desistidaAt,
      motivo: postulaciones.motivoDesistimiento,
    })
    .from(postulaciones)
    .innerJoin(postulantes, eq(postulantes.id, postulaciones.postulanteId))
    .where(and(eq(postulaciones.convocatoriaId, convocatoriaId), eq(postulaciones.estado, "desistida")))
    .orderBy(asc(postulaciones.numero));
  return rows.map((r) => ({
    id: r.id,
    numero: r.numero!,
    nombre: apellidosNombres(r),
    tipoDocumento: r.tipoDocumento,
    numeroDocumento: r.numeroDocumento,
    finalizadaAt: r.finalizadaAt!,
    desistidaAt: r.desistidaAt!,
    motivo: r.motivo,
  }));
}
