import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { loginThrottle } from "~/db/schema";

/**
 * Failure throttling, shared by every app process through the database.
 * The first FREE_FAILURES failures cost nothing; each further one doubles the wait
 * (1 s, 2 s, 4 s, … capped at 15 minutes). A quiet hour forgets the count. So a person
 * who mistypes is never locked out for good, while a guesser gets a few tries an hour.
 * `consume` checks and counts in ONE statement, so a burst of parallel attempts is
 * counted as if they came one after another (issue 11: 100 parallel wrong passwords
 * were all evaluated when the check and the count were two statements).
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

/** What `check` finds: the wait, and which keys have failures on record. */
export type ThrottleStatus = { waitMs: number; recorded: ThrottleKey[] };

/** The columns `statusOf` reads. */
type ThrottleRow = { key: string; lastFailureAt: Date; blockedUntil: Date | null };

/** What `consume` finds: the wait (0: the attempt was counted and may go ahead). */
export type ThrottleVerdict = { waitMs: number };

/**
 * Device cookies (OWASP, "Slow down online guessing attacks with device cookies"): a browser
 * that signed in to an account before carries a signed entry for it, and its attempts at that
 * account are counted on the entry's own key instead of the account's and the IP's. A burst
 * against an account, or from the owner's own network, then leaves the owner's browser in,
 * while a stolen entry still meets its own FREE_FAILURES and the doubling wait.
 */
export const DEVICE_COOKIE = "cas_dispositivo";
/** Half a year: a person applying to several convocatorias a year stays recognised. */
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;
/** A family or office computer may serve a few accounts; older entries drop off. */
export const DEVICE_ENTRIES = 5;

export function createThrottle(db: Db, secret: string) {
  // Keys are HMACs: the table never holds a document number or an IP in clear.
  const keyOf = (raw: string) => createHmac("sha256", secret).update(`throttle:${raw}`).digest("hex");
  const hashedKeys = (keys: ThrottleKey[]) => keys.map((k) => keyOf(rawOf(k)));

  function statusOf(keys: ThrottleKey[], rows: ThrottleRow[], now: Date): ThrottleStatus {
    let wait = 0;
    for (const row of rows) {
      if (row.blockedUntil && now.getTime() - row.lastFailureAt.getTime() < FORGET_AFTER_MS) {
        wait = Math.max(wait, row.blockedUntil.getTime() - now.getTime());
      }
    }
    const found = new Set(rows.map((r) => r.key));
    const hashed = hashedKeys(keys);
    return { waitMs: wait, recorded: keys.filter((_, i) => found.has(hashed[i]!)) };
  }

  const freeCase = (keys: ThrottleKey[]): SQL =>
    sql`(case excluded.key ${sql.join(
      keys.map((k) => sql`when ${keyOf(rawOf(k))} then ${freeOf(k)}::int`),
      sql` `,
    )} end)`;
  /** The wait after the n-th counted failure of a key allowing `free`: 1 s at the free-th, doubling, capped. */
  const blockAfter = (n: SQL, free: SQL, now: Date): SQL =>
    sql`case when ${n} >= ${free} then ${now.toISOString()}::timestamptz + make_interval(secs => least(${MAX_BLOCK_MS / 1000}::float8, power(2::float8, least(30, ${n} - ${free})::float8))) end`;
  const msAfter = (n: number, free: number) => (n >= free ? Math.min(MAX_BLOCK_MS, 1000 * 2 ** Math.min(30, n - free)) : null);

  const deviceMac = (login: string, nonce: string) =>
    createHmac("sha256", secret).update(`dispositivo:${login}:${nonce}`).digest("base64url");
  const deviceEntries = (cookie: string | undefined) =>
    (cookie && cookie.length <= 1000 ? cookie.split("~") : []).filter((e) => /^[\w-]{22}\.[\w-]{43}$/.test(e)).slice(0, DEVICE_ENTRIES);
  function deviceEntryIsFor(login: string, entry: string): boolean {
    const [nonce = "", mac = ""] = entry.split(".");
    const expected = Buffer.from(deviceMac(login, nonce));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** The current wait of the keys, without counting anything (a refused `consume` says how long). */
  async function check(keys: ThrottleKey[], now: Date): Promise<ThrottleStatus> {
    const rows = await db.select().from(loginThrottle).where(inArray(loginThrottle.key, hashedKeys(keys)));
    return statusOf(keys, rows, now);
  }

  return {
    check,
    /**
     * Check and count an attempt in ONE statement: every key not waiting gets one more failure
     * on record (and its next wait, when the count reaches its free allowance), under the row
     * lock of INSERT … ON CONFLICT DO UPDATE, whose WHERE sees the latest committed row. So of
     * any number of parallel attempts at most the free allowance pass, as if they came one after
     * another. Callers count before checking the secret and `reset` after a right one. A key
     * that waits is not counted; the others of a refused attempt still are.
     */
    async consume(keys: ThrottleKey[], now: Date): Promise<ThrottleVerdict> {
      if (keys.length === 0) return { waitMs: 0 };
      const forgetBefore = new Date(now.getTime() - FORGET_AFTER_MS).toISOString();
      // Sorted, so two attempts sharing keys lock them in the same order (no deadlock).
      const sorted = [...keys].sort((a, b) => (keyOf(rawOf(a)) < keyOf(rawOf(b)) ? -1 : 1));
      const n = sql`(case when ${loginThrottle.lastFailureAt} < ${forgetBefore}::timestamptz then 1 else ${loginThrottle.failures} + 1 end)`;
      const counted = await db
        .insert(loginThrottle)
        .values(
          sorted.map((k) => {
            const ms = msAfter(1, freeOf(k));
            return { key: keyOf(rawOf(k)), failures: 1, lastFailureAt: now, blockedUntil: ms === null ? null : new Date(now.getTime() + ms) };
          }),
        )
        .onConflictDoUpdate({
          target: loginThrottle.key,
          set: { failures: n, lastFailureAt: now, blockedUntil: blockAfter(n, freeCase(sorted), now) },
          setWhere: sql`${loginThrottle.blockedUntil} is null or ${loginThrottle.blockedUntil} <= ${now.toISOString()}::timestamptz or ${loginThrottle.lastFailureAt} < ${forgetBefore}::timestamptz`,
        })
        .returning({ key: loginThrottle.key });
      if (counted.length === keys.length) return { waitMs: 0 };
      // Refused: how long, from the keys that wait (a second read, on the refused path only).
      return { waitMs: Math.max(1, (await check(keys, now)).waitMs) };
    },
    /** The key of this browser's device-cookie entry for `login` (a raw account key), or null when it has none. */
    deviceKey(login: string, cookie: string | undefined): ThrottleKey | null {
      const entry = deviceEntries(cookie).find((e) => deviceEntryIsFor(login, e));
      return entry ? `dispositivo:${entry.split(".")[0]}` : null;
    },
    /** The device cookie after `login` succeeded: a fresh entry for it first, then the others this browser had. */
    issueDevice(login: string, cookie: string | undefined): string {
      const nonce = randomBytes(16).toString("base64url");
      const others = deviceEntries(cookie).filter((e) => !deviceEntryIsFor(login, e));
      return [`${nonce}.${deviceMac(login, nonce)}`, ...others].slice(0, DEVICE_ENTRIES).join("~");
    },
    async reset(keys: ThrottleKey[]): Promise<void> {
      if (keys.length === 0) return;
      await db.delete(loginThrottle).where(inArray(loginThrottle.key, hashedKeys(keys)));
    },
  };
}
