import { DrizzleQueryError } from "drizzle-orm";

/**
 * The database could not be reached (or went away mid-query), as opposed to a query that
 * failed: the first is a 503 "intente en unos minutos", the second a bug (500).
 *
 * A socket error code (ECONNRESET…) says nothing about whose socket it was: the object
 * store, the antivirus or an SMTP server reset a connection the same way. It counts only
 * when it came through the database: Drizzle wrapped it (DrizzleQueryError, a query on an
 * open connection) or the pool marked it while connecting (`markDatabaseError`, client.server.ts).
 * PostgreSQL's own codes and the drivers' messages are the database's wherever they appear.
 */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE"]);
// PostgreSQL: class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), too many connections.
const POSTGRES_CODES = new Set(["08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300"]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed/i;

const FROM_DATABASE = Symbol("fromDatabase");

/** Marks an error thrown by the database pool itself (connecting), so its socket code counts. */
export function markDatabaseError<E>(error: E): E {
  if (error && typeof error === "object") Object.defineProperty(error, FROM_DATABASE, { value: true });
  return error;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  // The cause chain: drizzle wraps the driver's error (DrizzleQueryError.cause).
  let throughDatabase = false;
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== "object") return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (e instanceof DrizzleQueryError || FROM_DATABASE in e) throughDatabase = true;
    if (typeof code === "string" && POSTGRES_CODES.has(code)) return true;
    if (typeof code === "string" && SOCKET_CODES.has(code) && throughDatabase) return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
