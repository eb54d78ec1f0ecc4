import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { loginThrottle } from "~/db/schema";

/**
 * Failure throttling, shared by every app process through the database.
 * The first FREE_FAILURES failures cost nothing; each further one doubles the wait
 * (1 s, 2 s, 4 s, … capped at 15 minutes). A quiet hour forgets the count. So a person
 * who mistypes is never locked out for good, while a guesser gets a few tries an hour.
 */
const FREE_FAILURES = 5;
const MAX_BLOCK_MS = 15 * 60 * 1000;
const FORGET_AFTER_MS = 60 * 60 * 1000;

export type Throttle = ReturnType<typeof createThrottle>;

export function createThrottle(db: Db, secret: string) {
  // Keys are HMACs: the table never holds a document number or an IP in clear.
  const keyOf = (raw: string) => createHmac("sha256", secret).update(`throttle:${raw}`).digest("hex");

  return {
    /** Milliseconds to wait before another attempt is allowed (0: go ahead). */
    async waitMs(raws: string[], now: Date): Promise<number> {
      let wait = 0;
      for (const raw of raws) {
        const row = await db.query.loginThrottle.findFirst({ where: eq(loginThrottle.key, keyOf(raw)) });
        if (row?.blockedUntil && now.getTime() - row.lastFailureAt.getTime() < FORGET_AFTER_MS) {
          wait = Math.max(wait, row.blockedUntil.getTime() - now.getTime());
        }
      }
      return wait;
    },
    async fail(raws: string[], now: Date): Promise<void> {
      for (const raw of raws) {
        const key = keyOf(raw);
        const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
        await db
          .insert(loginThrottle)
          .values({ key, failures: 1, lastFailureAt: now, blockedUntil: null })
          .onConflictDoUpdate({
            target: loginThrottle.key,
            set: {
              failures: sql`case when ${loginThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
              lastFailureAt: now,
            },
          });
        const row = await db.query.loginThrottle.findFirst({ where: eq(loginThrottle.key, key) });
        if (row && row.failures > FREE_FAILURES) {
          const ms = Math.min(MAX_BLOCK_MS, 1000 * 2 ** (row.failures - FREE_FAILURES - 1));
          await db.update(loginThrottle).set({ blockedUntil: new Date(now.getTime() + ms) }).where(eq(loginThrottle.key, key));
        }
      }
    },
    async reset(raws: string[]): Promise<void> {
      for (const raw of raws) await db.delete(loginThrottle).where(eq(loginThrottle.key, keyOf(raw)));
    },
  };
}
