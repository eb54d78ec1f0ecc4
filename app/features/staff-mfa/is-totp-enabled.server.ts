import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { staffTotp } from "~/db/schema";

/** Whether the staff member has finished enrolling an authenticator app (a secret confirmed with a code). */
export async function isTotpEnabled(db: Db, staffId: string): Promise<boolean> {
  const totp = await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, staffId) });
  return Boolean(totp?.enabledAt);
}
