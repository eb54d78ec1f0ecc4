import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { staffTotp } from "~/db/schema";
import { isSealed, openSecret, sealSecret } from "~/platform/secret-box.server";

/**
 * staff_totp.secret holds the TOTP seed sealed (AES-256-GCM, secret-box.server.ts) under
 * config.totpKey, bound to its staff id. Seeds stored in clear before this existed are
 * sealed at start (sealClearTotpSecrets, server/app.ts); one met later (written by an older
 * server still running beside this one) is read and sealed on that first use.
 */
export function sealTotpSecret(key: Buffer, staffId: string, clear: string): string {
  return sealSecret(key, clear, `staff_totp:${staffId}`);
}

export async function openTotpSecret(db: Db, key: Buffer, row: { staffId: string; secret: string }): Promise<string> {
  if (isSealed(row.secret)) {
    try {
      return openSecret(key, row.secret, `staff_totp:${row.staffId}`);
    } catch {
      throw new Error(`the TOTP secret of staff ${row.staffId} does not open with TOTP_ENCRYPTION_KEY (was the key changed?)`);
    }
  }
  await sealRow(db, key, row);
  return row.secret;
}

/** Seals every seed still in clear; returns how many. */
export async function sealClearTotpSecrets(db: Db, key: Buffer): Promise<number> {
  const rows = await db.select({ staffId: staffTotp.staffId, secret: staffTotp.secret }).from(staffTotp);
  let sealed = 0;
  for (const row of rows) if (!isSealed(row.secret) && (await sealRow(db, key, row))) sealed++;
  return sealed;
}

/** Only if the row still holds that clear value: a concurrent enrolment's new seed is left alone. */
async function sealRow(db: Db, key: Buffer, row: { staffId: string; secret: string }): Promise<boolean> {
  const updated = await db
    .update(staffTotp)
    .set({ secret: sealTotpSecret(key, row.staffId, row.secret) })
    .where(and(eq(staffTotp.staffId, row.staffId), eq(staffTotp.secret, row.secret)))
    .returning({ staffId: staffTotp.staffId });
  return updated.length > 0;
}
