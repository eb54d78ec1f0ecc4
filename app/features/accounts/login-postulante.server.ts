import { and, eq, inArray, sql } from "drizzle-orm";
import { loginThrottle, postulantes } from "~/db/schema";
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
export const postulanteThrottleKey = (tipo: TipoDocumento, numero: string): ThrottleKey => `postulante:${tipo}:${numero}`;

/** Prepared once per database (a named statement on PostgreSQL: parsed once per connection). */
const prepared = new WeakMap<Db, ReturnType<typeof prepareAccountAndThrottle>>();
const accountAndThrottle = (db: Db) => {
  let query = prepared.get(db);
  if (!query) prepared.set(db, (query = prepareAccountAndThrottle(db)));
  return query;
};
function prepareAccountAndThrottle(db: Db) {
  return db
    .select({
      id: postulantes.id,
      passwordHash: postulantes.passwordHash,
      key: loginThrottle.key,
      lastFailureAt: loginThrottle.lastFailureAt,
      blockedUntil: loginThrottle.blockedUntil,
    })
    .from(sql`(select 1) as uno`)
    .leftJoin(
      postulantes,
      and(eq(postulantes.tipoDocumento, sql.placeholder("tipo")), eq(postulantes.numeroDocumento, sql.placeholder("numero"))),
    )
    .leftJoin(loginThrottle, inArray(loginThrottle.key, [sql.placeholder("accountKey"), sql.placeholder("ipKey")]))
    .prepare("login_postulante_cuenta_y_limite");
}

/**
 * Applicant sign-in (issue 2). Throttled per account and per IP, the password checked
 * with equal cost whether or not the account exists, and on success a NEW session
 * (the previous token, if any, is destroyed: no session fixation).
 */
export async function loginPostulante(options: {
  services: Pick<Services, "db" | "hasher" | "throttle" | "clock">;
  tipoDocumento: TipoDocumento;
  /** Already normalised (login.schema.ts). */
  numeroDocumento: string;
  password: string;
  ip: string;
  previousSessionToken?: string;
}): Promise<{ sessionToken: string; postulanteId: string }> {
  const { db, hasher, throttle, clock } = options.services;
  const now = clock.now();
  const accountKey = postulanteThrottleKey(options.tipoDocumento, options.numeroDocumento);
  const keys = [accountKey, ipThrottleKey(options.ip)];

  // The account and its throttle rows (account and IP) in ONE query: every round trip to
  // the database counts in a login storm (bench/README.md, "Logins").
  const [accountThrottleKey, ipKey] = throttle.hashedKeys(keys);
  const rows = await accountAndThrottle(db).execute({
    tipo: options.tipoDocumento,
    numero: options.numeroDocumento,
    accountKey: accountThrottleKey,
    ipKey,
  });
  const status = throttle.statusOf(keys, rows, now);
  const found = rows[0];
  const account = found?.id && found.passwordHash ? { id: found.id, passwordHash: found.passwordHash } : undefined;
  if (status.waitMs > 0) throw new ThrottledError(status.waitMs);

  const ok = account ? await hasher.verify(account.passwordHash, options.password) : await hasher.verifyNobody(options.password);
  if (!account || !ok) {
    await throttle.fail(keys, now);
    throw new InvalidCredentialsError(POSTULANTE_CREDENTIALS_MESSAGE);
  }

  const [sessionToken] = await Promise.all([
    // A NEW token at every sign-in; the one the browser brought, if any, is destroyed with it.
    options.previousSessionToken
      ? db.transaction(async (tx) => {
          await destroySession(tx, options.previousSessionToken);
          return createSession(tx, { postulanteId: account.id }, now);
        })
      : createSession(db, { postulanteId: account.id }, now),
    // Only the account's counter, and only when it has failures on record: an IP's
    // failures are not forgiven by one good login there.
    status.recorded.includes(accountKey) ? throttle.reset([accountKey]) : undefined,
  ]);
  return { sessionToken, postulanteId: account.id };
}
