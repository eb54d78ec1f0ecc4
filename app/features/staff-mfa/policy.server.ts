import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { sessions, staffTotp } from "~/db/schema";

/** Roles that must use a second factor; an evaluador may enrol (then it is required for them too). */
export const MFA_REQUIRED_ROLES = ["administrador", "gestor"] as const;

/**
 * Where a staff session that has passed only the password step must go: the second-factor
 * page (enrolled) or the enrolment page (required and not enrolled). null: nothing to do.
 * Called by requireStaff on every staff request.
 */
export async function secondFactorRedirect(
  db: Db,
  member: { id: string; role: string },
  sessionHash: string,
  request: Request,
): Promise<string | null> {
  const [session] = await db.select({ at: sessions.mfaVerifiedAt }).from(sessions).where(eq(sessions.idHash, sessionHash));
  if (session?.at) return null;
  const totp = await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, member.id), columns: { enabledAt: true } });
  const required = (MFA_REQUIRED_ROLES as readonly string[]).includes(member.role);
  if (!totp?.enabledAt && !required) return null;
  const url = new URL(request.url);
  const back = request.method === "GET" ? url.pathname + url.search : "/admin";
  const target = totp?.enabledAt ? "/admin/segundo-factor" : "/admin/mfa";
  return `${target}?redirectTo=${encodeURIComponent(back)}`;
}
