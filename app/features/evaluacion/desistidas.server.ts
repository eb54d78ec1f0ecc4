import type { Db } from "~/db/client.server";
import { listPostulacionesEnEstado } from "./load-evaluacion.server";

/**
 * The desistidas of a convocatoria (issue 17), by number: the applicant withdrew them while the
 * window was open, so they are out of the evaluation (loadEvaluacion reads registradas only),
 * and the HR office still sees each one with its dates and reason (the list, the Excel).
 */
export async function listDesistidas(db: Db, convocatoriaId: string) {
  const rows = await listPostulacionesEnEstado(db, convocatoriaId, "desistida");
  return rows.map((p) => ({ ...p, desistidaAt: p.desistidaAt! }));
}
