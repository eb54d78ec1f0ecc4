import { eq } from "drizzle-orm";
import { staff } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { destroyStaffSessions } from "~/platform/session.server";
import { AppError } from "~/shared/app-error";
import { LAST_ADMIN, lockEnabledAdmins } from "./update-staff-role.server";

/**
 * "Deshabilitar" / "Habilitar" a staff account. Disabling ends the member's sessions in the
 * same transaction; an administrator cannot disable themself, nor the last enabled administrator.
 */
export async function setStaffEnabled(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  staffId: string;
  enabled: boolean;
}): Promise<{ changed: boolean }> {
  const { services, actorId, staffId, enabled } = options;
  if (!enabled && staffId === actorId) {
    throw new AppError("personal.deshabilitar_propia", "No puede deshabilitar su propia cuenta.", { status: 409, logCause: "self-disable refused" });
  }
  const now = services.clock.now();
  return services.db.transaction(async (tx) => {
    const admins = await lockEnabledAdmins(tx);
    const [member] = await tx.select().from(staff).where(eq(staff.id, staffId)).for("update");
    if (!member) throw new AppError("personal.no_encontrado", "La cuenta de personal no existe.", { status: 404, logCause: "staff not found" });
    if (Boolean(member.disabledAt) === !enabled) return { changed: false };
    if (!enabled && admins.includes(member.id) && admins.length <= 1) {
      throw new AppError("personal.ultimo_administrador", LAST_ADMIN, { status: 409, logCause: "last enabled administrator" });
    }
    await tx
      .update(staff)
      .set({ disabledAt: enabled ? null : now, updatedAt: now })
      .where(eq(staff.id, staffId));
    if (!enabled) await destroyStaffSessions(tx, staffId);
    await audit(tx, { type: "staff", id: actorId }, enabled ? "staff.habilitado" : "staff.deshabilitado", { type: "staff", id: staffId });
    return { changed: true };
  });
}
