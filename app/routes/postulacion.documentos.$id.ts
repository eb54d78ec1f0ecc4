import { redirect } from "react-router";
import { findDocumentoLegible } from "~/features/postulacion/find-documento.server";
import { notFound, pdfResponse } from "~/web/download.server";
import { getPrincipal } from "~/web/auth.server";
import { isUuid } from "~/shared/ids";
import type { Route } from "./+types/postulacion.documentos.$id";

/** "Ver": one uploaded document, the original as received. Anyone but its reader → 404. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (!principal) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  if (!isUuid(params.id)) return notFound();
  const doc = await findDocumentoLegible(context.services.db, principal, params.id);
  if (!doc) {
    context.logger.info("document download refused: not found or not allowed");
    return notFound();
  }
  return pdfResponse(context.services.storage, doc.originalKey, doc.filename, doc.size);
}
