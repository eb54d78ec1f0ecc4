import type { AppLoadContext } from "react-router";
import { getPostulacionPage, type PostulacionPage } from "~/features/postulacion/get-postulacion.server";
import { asNotFound } from "./answer-error.server";
import { requirePostulante } from "./auth.server";

/**
 * The loaders of the pages around a postulación (finalizar, confirmada, desistir, desistida):
 * the signed-in applicant (else the login page) and their postulación to this convocatoria as
 * the Postulación page sees it; an unknown convocatoria is a 404. `pick` chooses what the page
 * gets or throws its redirect (a page for another estado sends to the right one).
 */
export async function postulacionPageLoader<T>(
  request: Request,
  context: AppLoadContext,
  convocatoriaId: string,
  pick: (page: PostulacionPage, postulante: { email: string }) => T,
): Promise<T> {
  const { postulante } = await requirePostulante(request, context);
  try {
    return pick(await getPostulacionPage({ services: context.services, postulanteId: postulante.id, convocatoriaId }), postulante);
  } catch (error) {
    throw asNotFound(error, "No encontrado.");
  }
}
