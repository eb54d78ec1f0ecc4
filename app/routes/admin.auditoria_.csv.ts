import { exportAuditLog } from "~/features/auditoria/export-audit-log.server";
import { readFiltros } from "~/features/auditoria/list-audit-log.server";
import { requireStaff } from "~/web/auth.server";
import { attachmentResponse } from "~/web/download.server";
import type { Route } from "./+types/admin.auditoria_.csv";

/** The audit log as CSV with the page's filters, streamed (administrador only; the export is audited). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff } = await requireStaff(request, context, "view:auditoria");
  const filtros = readFiltros(new URL(request.url).searchParams);
  context.logger.info({ filtros: Object.keys(filtros) }, "auditoria: CSV exported");
  return attachmentResponse(await exportAuditLog({ db: context.services.db, actorId: staff.id, filtros, now: context.services.clock.now() }));
}
