import type { Db } from "~/db/client.server";
import { auditLog } from "~/db/schema";

/**
 * Business events, one row each, written in the same transaction as the change.
 * Details name fields and ids, never document numbers, e-mails or passwords.
 */
export type AuditEvent =
  /** A postulante created an account. */
  | "postulante.registrado"
  /** A postulante verified an e-mail address. */
  | "postulante.email_verificado"
  /** Mi Perfil saved; details.fields lists which fields changed. */
  | "postulante.perfil_actualizado"
  /** Password changed from Mi Perfil. */
  | "postulante.password_cambiado"
  /** Password reset through an e-mailed link; the other sessions ended. */
  | "postulante.password_restablecido"
  /** Staff account created by an administrator. */
  | "staff.creado"
  /** Staff account's role or name changed. */
  | "staff.actualizado"
  /** Staff account disabled (its sessions ended). */
  | "staff.deshabilitado"
  /** Staff account enabled again. */
  | "staff.habilitado"
  /** The first administrator, created from ADMIN_EMAIL at start. */
  | "staff.admin_inicial";

export type Actor = { type: "postulante" | "staff" | "system"; id: string | null };

export async function audit(
  db: Db,
  actor: Actor,
  event: AuditEvent,
  entity: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.id,
    event,
    entityType: entity.type,
    entityId: entity.id,
    details,
  });
}
