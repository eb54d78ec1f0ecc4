import type { Db } from "~/db/client.server";
import { audit, type AuditEvent } from "~/platform/audit.server";

/**
 * The audit events of evaluation, review and the staff second factor (issue 5), also in the
 * AuditEvent union of app/platform/audit.server.ts; all are staff actions.
 */
export type EvaluacionAuditEvent = Extract<
  AuditEvent,
  `evaluacion.${string}` | "expediente.visto" | "documento.visto" | "postulaciones.exportadas" | "postulaciones.exportacion_descargada" | "staff.segundo_factor_activado" | "staff.codigo_recuperacion_usado"
>;

export function auditar(
  db: Db,
  actorId: string,
  event: EvaluacionAuditEvent,
  entity: { type: string; id: string | null },
  details: Record<string, unknown> = {},
) {
  return audit(db, { type: "staff", id: actorId }, event, entity, details);
}
