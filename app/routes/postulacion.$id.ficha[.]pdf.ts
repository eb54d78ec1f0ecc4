import { redirect } from "react-router";
import { canReadPostulacion } from "~/features/postulacion/access.server";
import { buildFicha } from "~/features/postulacion/build-ficha.server";
import { notFound, pdfResponse } from "~/web/download.server";
import { loadPostulacion } from "~/features/postulacion/load-postulacion.server";
import { getPrincipal } from "~/web/auth.server";
import type { Route } from "./+types/postulacion.$id.ficha[.]pdf";

/** "Verificar Ficha Postulante": the Ficha de Postulación, built once per change of the documents. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (!principal) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  const p = await loadPostulacion(context.services.db, params.id);
  if (!p || !canReadPostulacion(principal, p)) {
    context.logger.info("ficha refused: not found or not allowed");
    return notFound();
  }
  const actor = principal.kind === "postulante" ? { actorType: "postulante" as const, actorId: principal.postulanteId } : { actorType: "staff" as const, actorId: principal.staffId };
  const ficha = await buildFicha({ services: context.services, postulacionId: p.id, ...actor });
  return pdfResponse(context.services.storage, ficha.key, `ficha-postulacion${p.numero ? `-${p.numero}` : ""}.pdf`, ficha.size);
}
