import { and, eq, sql } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import type { Db } from "~/db/client.server";
import type { Services } from "~/platform/services.server";
import { createSession, destroySession } from "~/platform/session.server";
import type { ThrottleKey } from "~/platform/throttle.server";
import type { TipoDocumento } from "./documento";

/** The one answer for an unknown number and a wrong password: it reveals no account. */
export const POSTULANTE_CREDENTIALS_MESSAGE = "Tipo de documento, número o contraseña incorrectos.";

/** Wrong credentials (HTTP 401). The message is the same whatever was wrong. */
export class InvalidCredentialsError extends Error {
  readonly status = 401;
}

/** Too many recent failures for this account or this address (HTTP 429). */
export class ThrottledError extends Error {
  readonly status = 429;
  constructor(
    readonly waitMs: number,
    message = `Demasiados intentos fallidos. Por seguridad, espere ${formatWait(waitMs)} antes de volver a intentarlo.`,
  ) {
    super(message);
  }
}

/** "3 segundos", "1 minuto", "15 minutos": always rounded up, so the person never retries too early. */
export function formatWait(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return seconds === 1 ? "1 segundo" : `${seconds} segundos`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "1 minuto" : `${minutes} minutos`;
}

/**
 * An IP address may be a whole office or a mobile carrier's NAT: it gets more free
 * failures than one account, so colleagues mistyping do not slow each other down
 * while a guesser walking through many accounts from one address still is.
 */
export const IP_FREE_FAILURES = 20;
export const ipThrottleKey = (ip: string): ThrottleKey => ({ raw: `login-ip:${ip}`, freeFailures: IP_FREE_FAILURES });
export const postulanteThrottleKey = (tipo: TipoDocumento, numero: string): string => `postulante:${tipo}:${numero}`;

/** Prepared once per database (a named statement on PostgreSQL: parsed once per connection). */
const prepared = new WeakMap<Db, ReturnType<typeof prepareAccount>>();
const accountOf = (db: Db) => {
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepareAccount(db)));
  return query;
};
function prepareAccount(db: Db) {
  return db
    .select({ id: postulantes.id, passwordHash: postulantes.passwordHash })
    .from(postulantes)
    .where(and(eq(postulantes.tipoDocumento, sql.placeholder("tipo")), eq(postulantes.numeroDocumento, sql.placeholder("numero"))))
    .prepare("login_postulante_cuenta");
}

/**
 * The keys an attempt counts on: the account's and the IP's, or, from a browser that signed in
 * to this account before (its device cookie), that browser's own key only — so neither a burst
 * against the account nor one from the owner's network locks the owner out (issue 11).
 */
export function loginKeys(
  throttle: Services["throttle"],
  accountKey: string,
  ip: string,
  deviceCookie: string | undefined,
): { keys: ThrottleKey[]; forget: ThrottleKey[]; giveBack: ThrottleKey[] } {
  const device = throttle.deviceKey(accountKey, deviceCookie);
  if (device) return { keys: [device], forget: [device], giveBack: [] };
  const ipKey = ipThrottleKey(ip);
  // A right password forgets the account's failures but only gives its own attempt back to
  // the IP: one good account there must not launder an attacker's failures.
  return { keys: [accountKey, ipKey], forget: [accountKey], giveBack: [ipKey] };
}

/**
 * Applicant sign-in (issue 2). Throttled per account and per IP (or per known browser), the
 * attempt counted before the password is checked (one atomic step: a parallel burst counts
 * as a sequence), the password checked with equal cost whether or not the account exists,
 * and on success a NEW session (the previous token, if any, is destroyed: no session
 * fixation) and a fresh device-cookie entry for this account.
 */
export async function loginPostulante(options: {
  services: Pick<Services, "db" | "hasher" | "throttle" | "clock">;
  tipoDocumento: TipoDocumento;
  /** Already normalised (login.schema.ts). */
  numeroDocumento: string;
  password: string;
  ip: string;
  previousSessionToken?: string;
  /** The browser's device cookie, if any. */
  deviceCookie?: string;
}): Promise<{ sessionToken: string; postulanteId: string; deviceCookie: string }> {
  const { db, hasher, throttle, clock } = options.services;
  const now = clock.now();
  const accountKey = postulanteThrottleKey(options.tipoDocumento, options.numeroDocumento);
  const { keys, forget, giveBack } = loginKeys(throttle, accountKey, options.ip, options.deviceCookie);

  // The account and the throttle's verdict in parallel: every round trip counts in a login
  // storm (bench/README.md, "Logins").
  const [rows, verdict] = await Promise.all([
    accountOf(db).execute({ tipo: options.tipoDocumento, numero: options.numeroDocumento }),
    throttle.consume(keys, now),
  ]);
  if (verdict.waitMs > 0) throw new ThrottledError(verdict.waitMs);
  const account = rows[0];

  const ok = account ? await hasher.verify(account.passwordHash, options.password) : await hasher.verifyNobody(options.password);
  if (!account || !ok) throw new InvalidCredentialsError(POSTULANTE_CREDENTIALS_MESSAGE);

  const [sessionToken] = await Promise.all([
    // A NEW token at every sign-in; the one the browser brought, if any, is destroyed with it.
    options.previousSessionToken
      ? db.transaction(async (tx) => {
          await destroySession(tx, options.previousSessionToken);
          return createSession(tx, { postulanteId: account.id }, now);
        })
      : createSession(db, { postulanteId: account.id }, now),
    throttle.settle({ forget, giveBack, now }),
  ]);
  return { sessionToken, postulanteId: account.id, deviceCookie: throttle.issueDevice(accountKey, options.deviceCookie) };
}
