import { asc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias, etapaEvaluadores, evaluacionEtapas } from "~/db/schema";

/** The stages a staff member is assigned to score (issue 5), by convocatoria and then in the stages' order. */
export async function listEtapasEvaluador(db: Db, staffId: string) {
  return db
    .select({
      id: evaluacionEtapas.id,
      nombre: evaluacionEtapas.nombre,
      estado: evaluacionEtapas.estado,
      codigo: convocatorias.codigo,
      puesto: convocatorias.puesto,
    })
    .from(etapaEvaluadores)
    .innerJoin(evaluacionEtapas, eq(evaluacionEtapas.id, etapaEvaluadores.etapaId))
    .innerJoin(convocatorias, eq(convocatorias.id, evaluacionEtapas.convocatoriaId))
    .where(eq(etapaEvaluadores.staffId, staffId))
    .orderBy(asc(convocatorias.codigo), asc(evaluacionEtapas.orden));
}
