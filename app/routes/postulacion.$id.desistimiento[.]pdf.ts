import { redirect } from "react-router";
import { canReadPostulacion } from "~/features/postulacion/access.server";
import { loadPostulacion } from "~/features/postulacion/load-postulacion.server";
import { getPrincipal } from "~/web/auth.server";
import { notFound, pdfResponse } from "~/web/download.server";
import type { Route } from "./+types/postulacion.$id.desistimiento[.]pdf";

/** The constancia de desistimiento (issue 17), stored when the applicant withdrew. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (!principal) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const p = await loadPostulacion(context.services.db, params.id);
  if (!p || !canReadPostulacion(principal, p) || !p.constanciaDesistimientoKey) {
    context.logger.info("constancia de desistimiento refused: not found, not allowed or not desistida");
    return notFound();
  }
  return pdfResponse(context.services.storage, p.constanciaDesistimientoKey, `constancia-desistimiento-${p.numero}.pdf`);
}
