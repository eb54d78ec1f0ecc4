import type { Principal } from "~/platform/session.server";

/**
 * Who may read a postulación and its files (documents, ficha, constancia). Today only
 * its applicant; issue 5 (evaluación) extends this for staff with `review:postulacion`.
 * A route that gets `false` answers 404, never 403: another applicant must not learn
 * that an id exists.
 */
export function canReadPostulacion(
  principal: Principal | null,
  postulacion: { postulanteId: string; convocatoriaId: string },
): boolean {
  if (!principal) return false;
  if (principal.kind === "postulante") return principal.postulanteId === postulacion.postulanteId;
  return false;
}
