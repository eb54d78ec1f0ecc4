import { and, eq, sql } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import type { Db } from "~/db/client.server";
import type { Services } from "~/platform/services.server";
import { createSession, destroySession } from "~/platform/session.server";
import type { ThrottleKey } from "~/platform/throttle.server";
import { AppError, type AppErrorCode } from "~/shared/app-error";
import type { TipoDocumento } from "./documento";

/** The one answer for an unknown number and a wrong password: it reveals no account. */
export const POSTULANTE_CREDENTIALS_MESSAGE = "Tipo de documento, número o contraseña incorrectos.";

/** Wrong credentials (HTTP 401). The message is the same whatever was wrong; the log is told a little more. */
export const credencialesInvalidas = (message: string, logCause = "wrong credentials") =>
  new AppError("cuenta.credenciales_invalidas", message, { status: 401, logCause });

/** Too many recent attempts for this account or this address (HTTP 429): `waitMs` until the next may succeed. */
export const demasiadosIntentos = (
  waitMs: number,
  code: AppErrorCode = "cuenta.demasiados_intentos",
  message = `Demasiados intentos fallidos. Por seguridad, espere ${formatWait(waitMs)} antes de volver a intentarlo.`,
) => new AppError(code, message, { status: 429, logCause: "throttled", retryAfterMs: waitMs });

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
 * The keys of a sign-in attempt. `account`: the account's key, or, from a browser that signed in
 * to this account before (its device cookie), that browser's own key — so neither a burst against
 * the account nor one from the owner's network locks the owner out (issue 11). It is checked and
 * counted in one step before the password (`consume`), so a parallel burst against one account
 * evaluates at most its allowance. `ip`: checked before and counted only after a wrong password:
 * counting it before would refuse right passwords too whenever more than IP_FREE_FAILURES people
 * behind one address sign in at the same moment (an office, the deadline rush: bench/logins.mjs).
 * A browser with a device-cookie entry is not held by its IP.
 */
export function loginKeys(
  throttle: Services["throttle"],
  accountKey: string,
  ip: string,
  deviceCookie: string | undefined,
): { account: ThrottleKey[]; ip: ThrottleKey[] } {
  const device = throttle.deviceKey(accountKey, deviceCookie);
  return device ? { account: [device], ip: [] } : { account: [accountKey], ip: [ipThrottleKey(ip)] };
}

/** The account's read, the account's verdict and the IP's wait, in parallel: every round trip counts in a login storm. */
export async function throttledLookup<T>(
  throttle: Services["throttle"],
  keys: { account: ThrottleKey[]; ip: ThrottleKey[] },
  now: Date,
  read: Promise<T>,
): Promise<T> {
  const [found, verdict, ipStatus] = await Promise.all([
    read,
    throttle.consume(keys.account, now),
    keys.ip.length ? throttle.check(keys.ip, now) : { waitMs: 0 },
  ]);
  const wait = Math.max(verdict.waitMs, ipStatus.waitMs);
  if (wait > 0) throw demasiadosIntentos(wait);
  return found;
}

/**
 * Applicant sign-in (issue 2). Throttled per account and per IP (or per known browser), the
 * account's attempt counted before the password is checked (one atomic step: a parallel burst
 * counts as a sequence, see loginKeys), the password checked with equal cost whether or not the account exists,
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
  const keys = loginKeys(throttle, accountKey, options.ip, options.deviceCookie);

  const rows = await throttledLookup(throttle, keys, now, accountOf(db).execute({ tipo: options.tipoDocumento, numero: options.numeroDocumento }));
  const account = rows[0];

  const ok = account ? await hasher.verify(account.passwordHash, options.password) : await hasher.verifyNobody(options.password);
  if (!account || !ok) {
    await throttle.consume(keys.ip, now);
    throw credencialesInvalidas(POSTULANTE_CREDENTIALS_MESSAGE);
  }

  const [sessionToken] = await Promise.all([
    // A NEW token at every sign-in; the one the browser brought, if any, is destroyed with it.
    options.previousSessionToken
      ? db.transaction(async (tx) => {
          await destroySession(tx, options.previousSessionToken);
          return createSession(tx, { postulanteId: account.id }, now);
        })
      : createSession(db, { postulanteId: account.id }, now),
    // The account's count (this attempt included) is forgotten; the IP's failures are not:
    // one good login there must not launder an attacker's.
    throttle.reset(keys.account),
  ]);
  return { sessionToken, postulanteId: account.id, deviceCookie: throttle.issueDevice(accountKey, options.deviceCookie) };
}
