/**
 * The database could not be reached (or went away mid-query), as opposed to a query that
 * failed: the first is a 503 "intente en unos minutos", the second a bug (500).
 */
const UNREACHABLE_CODES = new Set([
  // Node's socket errors while connecting or talking to PostgreSQL.
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "EPIPE",
  // PostgreSQL: class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now), too many connections.
  "08000", "08001", "08003", "08004", "08006", "57P01", "57P02", "57P03", "53300",
]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end|PGlite is closed/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  // The cause chain: drizzle wraps the driver's error (DrizzleQueryError.cause).
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (typeof e !== "object") return false;
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === "string" && UNREACHABLE_CODES.has(code)) return true;
    if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
  }
  return false;
}
