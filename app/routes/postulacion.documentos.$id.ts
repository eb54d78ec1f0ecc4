import { eq } from "drizzle-orm";
import { redirect } from "react-router";
import { documentos, postulaciones } from "~/db/schema";
import { canReadPostulacion } from "~/features/postulacion/access.server";
import { notFound, pdfResponse } from "~/web/download.server";
import { getPrincipal } from "~/web/auth.server";
import { isUuid } from "~/shared/ids";
import type { Route } from "./+types/postulacion.documentos.$id";

/** "Ver": one uploaded document, the original as received. Anyone but its reader → 404. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (!principal) throw redirect(`/login?redirectTo=${encodeURIComponent(new URL(request.url).pathname)}`);
  if (!isUuid(params.id)) return notFound();
  const [row] = await context.services.db
    .select({ doc: documentos, postulanteId: postulaciones.postulanteId, convocatoriaId: postulaciones.convocatoriaId })
    .from(documentos)
    .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
    .where(eq(documentos.id, params.id));
  if (!row || !canReadPostulacion(principal, row)) {
    context.logger.info("document download refused: not found or not allowed");
    return notFound();
  }
  return pdfResponse(context.services.storage, row.doc.originalKey, row.doc.filename, row.doc.size);
}
