import { redirect } from "react-router";
import { abrirZipFichas } from "~/features/evaluacion/exportar-fichas.server";
import { AppError } from "~/shared/app-error";
import { contentDisposition } from "~/shared/file-name";
import { asNotFound, refusal } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { storedFileResponse } from "~/web/download.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones_.fichas_.$exportacionId_.zip";

/** The prepared fichas ZIP, streamed from storage (gestor, administrador; audited). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff } = await requireStaff(request, context, "review:postulacion");
  let zip;
  try {
    zip = await abrirZipFichas({ services: context.services, actorId: staff.id, convocatoriaId: params.id, exportacionId: params.exportacionId });
  } catch (error) {
    // Not ready, or past its keeping time: its status page says so and offers to prepare it again.
    if (error instanceof AppError && error.status === 410) {
      refusal(error, context, "fichas zip");
      throw redirect(`/admin/convocatorias/${params.id}/postulaciones/fichas/${params.exportacionId}`);
    }
    throw asNotFound(error, "No encontramos esa descarga de fichas.");
  }
  return storedFileResponse(context.services.storage, zip.key, {
    contentType: "application/zip",
    disposition: contentDisposition("attachment", zip.filename, "zip"),
    size: zip.size,
  });
}
