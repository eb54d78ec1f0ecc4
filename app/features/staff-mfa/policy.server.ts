import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { sessions, staffTotp } from "~/db/schema";

/** Roles that must use a second factor; an evaluador may enrol (then it is required for them too). */
export const MFA_REQUIRED_ROLES = ["administrador", "gestor"] as const;

/**
 * What a staff session that has passed only the password step still owes: the second factor
 * (enrolled: "verify") or the enrolment (required and not enrolled: "enrol"). null: nothing.
 * Asked by requireStaff (app/web/auth.server.ts) on every staff request.
 */
export async function pendingSecondFactor(
  db: Db,
  member: { id: string; role: string },
  sessionHash: string,
): Promise<"verify" | "enrol" | null> {
  const [session] = await db.select({ at: sessions.mfaVerifiedAt }).from(sessions).where(eq(sessions.idHash, sessionHash));
  if (session?.at) return null;
  const totp = await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, member.id), columns: { enabledAt: true } });
  const required = (MFA_REQUIRED_ROLES as readonly string[]).includes(member.role);
  if (!totp?.enabledAt && !required) return null;
  return totp?.enabledAt ? "verify" : "enrol";
}
