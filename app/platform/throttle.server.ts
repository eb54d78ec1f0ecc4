import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { loginThrottle } from "~/db/schema";

/**
 * Failure throttling, shared by every app process through the database.
 * The first FREE_FAILURES failures cost nothing; each further one doubles the wait
 * (1 s, 2 s, 4 s, … capped at 15 minutes). A quiet hour forgets the count. So a person
 * who mistypes is never locked out for good, while a guesser gets a few tries an hour.
 * A key may allow more (or fewer) free failures than the default: an IP shared by a
 * whole office gets more than one account does (docs/accounts-security.md).
 */
export const FREE_FAILURES = 5;
export const MAX_BLOCK_MS = 15 * 60 * 1000;
export const FORGET_AFTER_MS = 60 * 60 * 1000;

/** A raw key (e.g. `postulante:DNI:12345678`, `ip:1.2.3.4`), optionally with its own free failures. */
export type ThrottleKey = string | { raw: string; freeFailures: number };
const rawOf = (k: ThrottleKey) => (typeof k === "string" ? k : k.raw);
const freeOf = (k: ThrottleKey) => (typeof k === "string" ? FREE_FAILURES : k.freeFailures);

export type Throttle = ReturnType<typeof createThrottle>;

export function createThrottle(db: Db, secret: string) {
  // Keys are HMACs: the table never holds a document number or an IP in clear.
  const keyOf = (raw: string) => createHmac("sha256", secret).update(`throttle:${raw}`).digest("hex");

  return {
    /** Milliseconds to wait before another attempt is allowed (0: go ahead). */
    async waitMs(keys: ThrottleKey[], now: Date): Promise<number> {
      let wait = 0;
      for (const k of keys) {
        const row = await db.query.loginThrottle.findFirst({ where: eq(loginThrottle.key, keyOf(rawOf(k))) });
        if (row?.blockedUntil && now.getTime() - row.lastFailureAt.getTime() < FORGET_AFTER_MS) {
          wait = Math.max(wait, row.blockedUntil.getTime() - now.getTime());
        }
      }
      return wait;
    },
    async fail(keys: ThrottleKey[], now: Date): Promise<void> {
      for (const k of keys) {
        const key = keyOf(rawOf(k));
        const free = freeOf(k);
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
        if (row && row.failures > free) {
          const ms = Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(30, row.failures - free - 1));
          await db.update(loginThrottle).set({ blockedUntil: new Date(now.getTime() + ms) }).where(eq(loginThrottle.key, key));
        }
      }
    },
    async reset(keys: ThrottleKey[]): Promise<void> {
      for (const k of keys) await db.delete(loginThrottle).where(eq(loginThrottle.key, keyOf(rawOf(k))));
    },
  };
}
