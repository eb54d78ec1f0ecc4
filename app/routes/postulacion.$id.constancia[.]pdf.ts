import { redirect } from "react-router";
import { canReadPostulacion } from "~/features/postulacion/access.server";
import { notFound, pdfResponse } from "~/web/download.server";
import { loadPostulacion } from "~/features/postulacion/load-postulacion.server";
import { getPrincipal } from "~/web/auth.server";
import type { Route } from "./+types/postulacion.$id.constancia[.]pdf";

/** The constancia de postulación (seed 2.1.6), stored at finalization. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (!principal) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const p = await loadPostulacion(context.services.db, params.id);
  if (!p || !canReadPostulacion(principal, p) || !p.constanciaKey) {
    context.logger.info("constancia refused: not found, not allowed or not registrada");
    return notFound();
  }
  return pdfResponse(context.services.storage, p.constanciaKey, `constancia-${p.numero}.pdf`);
}
