import { isUuid } from "~/shared/ids";
import { exportarExcel } from "~/features/evaluacion/exportar.server";
import { asNotFound, notFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { attachmentResponse } from "~/web/download.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones_.excel";

/** The postulaciones of a convocatoria as an Excel workbook, streamed (gestor, administrador). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff } = await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  try {
    return attachmentResponse(await exportarExcel({ services: context.services, logger: context.logger, actorId: staff.id, convocatoriaId: params.id }));
  } catch (error) {
    throw asNotFound(error);
  }
}
