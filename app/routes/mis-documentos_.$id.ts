import { findArchivoPropio } from "~/features/postulacion/list-archivos.server";
import { requirePostulante } from "~/web/auth.server";
import { notFound, pdfResponse } from "~/web/download.server";
import type { Route } from "./+types/mis-documentos_.$id";

/** "Descargar" in Mis documentos: the owner's file as received. Anyone else (or an unknown id) → 404. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  const archivo = await findArchivoPropio(context.services.db, postulante.id, params.id);
  if (!archivo) {
    context.logger.info("mis documentos download refused: not found or not the owner");
    return notFound();
  }
  return pdfResponse(context.services.storage, archivo.originalKey, archivo.filename, archivo.size);
}
