import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { staff } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import type { StaffRoleValue } from "./staff.schema";

export const LAST_ADMIN =
  "Debe quedar al menos un administrador habilitado. Asigne el rol de administrador a otra cuenta antes.";

/**
 * The enabled administrators, locked FOR UPDATE: two administrators demoting or disabling
 * each other at the same moment are serialised, so the last one can never go.
 */
export async function lockEnabledAdmins(tx: Db): Promise<string[]> {
  const rows = await tx
    .select({ id: staff.id })
    .from(staff)
    .where(and(eq(staff.role, "administrador"), isNull(staff.disabledAt)))
    .orderBy(asc(staff.id)) // one lock order for everyone: no deadlock between two of these
    .for("update");
  return rows.map((r) => r.id);
}

/**
 * An administrator changes a staff member's role. Refused for one's own account (an
 * administrator would lock themself out of this page) and when it would leave no enabled administrator.
 */
export async function updateStaffRole(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  staffId: string;
  role: StaffRoleValue;
}): Promise<{ changed: boolean }> {
  const { services, actorId, staffId, role } = options;
  if (staffId === actorId) {
    throw new AppError("personal.rol_propio", "No puede cambiar el rol de su propia cuenta. Pídaselo a otro administrador.", { status: 409, logCause: "own role change refused" });
  }
  return services.db.transaction(async (tx) => {
    const admins = await lockEnabledAdmins(tx);
    const [member] = await tx.select().from(staff).where(eq(staff.id, staffId)).for("update");
    if (!member) throw new AppError("personal.no_encontrado", "La cuenta de personal no existe.", { status: 404, logCause: "staff not found" });
    if (member.role === role) return { changed: false };
    if (member.role === "administrador" && admins.includes(member.id) && admins.length <= 1) {
      throw new AppError("personal.ultimo_administrador", LAST_ADMIN, { status: 409, logCause: "last enabled administrator" });
    }
    await tx.update(staff).set({ role, updatedAt: services.clock.now() }).where(eq(staff.id, staffId));
    await audit(tx, { type: "staff", id: actorId }, "staff.actualizado", { type: "staff", id: staffId }, {
      role: { from: member.role, to: role },
    });
    return { changed: true };
  });
}
