import { createHmac } from "node:crypto";
import { eq, inArray, sql } from "drizzle-orm";
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

/** What `check` finds: the wait, and which keys have failures on record (only those need a reset). */
export type ThrottleStatus = { waitMs: number; recorded: ThrottleKey[] };

/** The columns `statusOf` reads; null when a joined read found no row. */
export type ThrottleRow = { key: string | null; lastFailureAt: Date | null; blockedUntil: Date | null };

export function createThrottle(db: Db, secret: string) {
  // Keys are HMACs: the table never holds a document number or an IP in clear.
  const keyOf = (raw: string) => createHmac("sha256", secret).update(`throttle:${raw}`).digest("hex");
  const hashedKeys = (keys: ThrottleKey[]) => keys.map((k) => keyOf(rawOf(k)));

  function statusOf(keys: ThrottleKey[], rows: ThrottleRow[], now: Date): ThrottleStatus {
    let wait = 0;
    for (const row of rows) {
      if (row.blockedUntil && row.lastFailureAt && now.getTime() - row.lastFailureAt.getTime() < FORGET_AFTER_MS) {
        wait = Math.max(wait, row.blockedUntil.getTime() - now.getTime());
      }
    }
    const found = new Set(rows.map((r) => r.key));
    const hashed = hashedKeys(keys);
    return { waitMs: wait, recorded: keys.filter((_, i) => found.has(hashed[i]!)) };
  }

  /** One query for all the keys (a login checks the account and the IP). */
  async function check(keys: ThrottleKey[], now: Date): Promise<ThrottleStatus> {
    const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, hashedKeys(keys)));
    return statusOf(keys, rows, now);
  }

  return {
    check,
    /**
     * For a caller that reads the throttle rows within its own query (a login reads them
     * with the account, in one round trip): the table keys to read, then the status of the
     * rows found.
     */
    hashedKeys,
    statusOf,
    /** Milliseconds to wait before another attempt is allowed (0: go ahead). */
    async waitMs(keys: ThrottleKey[], now: Date): Promise<number> {
      return (await check(keys, now)).waitMs;
    },
    async fail(keys: ThrottleKey[], now: Date): Promise<void> {
      for (const k of keys) {
        const key = keyOf(rawOf(k));
        const free = freeOf(k);
        const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS);
        const [row] = await db
          .insert(loginThrottle)
          .values({ key, failures: 1, lastFailureAt: now, blockedUntil: null })
          .onConflictDoUpdate({
            target: loginThrottle.key,
            set: {
              failures: sql`case when ${loginThrottle.lastFailureAt} < ${forgetBefore.toISOString()}::timestamptz then 1 else ${loginThrottle.failures} + 1 end`,
              lastFailureAt: now,
            },
          })
          .returning({ failures: loginThrottle.failures });
        if (row && row.failures > free) {
          const ms = Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(30, row.failures - free - 1));
          await db.update(loginThrottle).set({ blockedUntil: new Date(now.getTime() + ms) }).where(eq(loginThrottle.key, key));
        }
      }
    },
    async reset(keys: ThrottleKey[]): Promise<void> {
      if (keys.length === 0) return;
      await db.delete(loginThrottle).where(inArray(loginThrottle.key, hashedKeys(keys)));
    },
  };
}
