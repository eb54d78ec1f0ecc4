import { isUuid } from "~/shared/ids";
import { exportarFichas } from "~/features/evaluacion/exportar.server";
import { notFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { attachmentResponse } from "~/web/download.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones_.fichas";

/** A ZIP of the fichas of a convocatoria's postulaciones, streamed (gestor, administrador). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff } = await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const fichas = await exportarFichas({ services: context.services, logger: context.logger, actorId: staff.id, convocatoriaId: params.id });
  if (!fichas) throw notFound("La convocatoria no existe.");
  return attachmentResponse(fichas);
}
