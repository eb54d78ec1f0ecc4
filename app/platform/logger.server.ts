import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs. Document numbers, e-mails, passwords and tokens never reach a log line:
 * the redact list is the safety net for fields passed by mistake.
 */
export function createLogger(level = "info", destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: undefined,
    serializers: { err: serializeError },
    redact: {
      paths: [
        "password", "*.password", "numeroDocumento", "*.numeroDocumento", "email", "*.email",
        "token", "*.token", "req.headers.cookie", "headers.cookie",
      ],
      censor: "[redacted]",
    },
  };
  // A destination: tests read the lines; by default, standard output.
  return destination ? pino(options, destination) : pino(options);
}

/** Drizzle's wrapper of a failed query: its message is the SQL and its parameters. */
const FAILED_QUERY = /^Failed query:/;

/**
 * An error as a log line may show it. A failed query's message (drizzle: "Failed query: …
 * params: …") and PostgreSQL's `detail` would print the values of the query (a document
 * number, an e-mail); a PostgreSQL message quotes the offending value (`invalid input syntax
 * for type uuid: "…"`). Kept: the type, the code, the constraint, table and column, the
 * message with quoted values blanked, the stack's frames, and the cause, the same way.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (typeof error === "string") return safeMessage(error);
  if (!(error instanceof Error) || depth > 4) return error;
  const e = error as Error & Record<string, unknown>;
  // Drizzle's errors keep the name "Error": their class says more.
  const type = e.name === "Error" ? (e.constructor?.name ?? "Error") : e.name;
  const out: Record<string, unknown> = { type, message: safeMessage(e.message) };
  for (const key of ["code", "severity", "constraint", "table", "column", "routine", "status"] as const) {
    if (typeof e[key] === "string" || typeof e[key] === "number") out[key] = e[key];
  }
  // The first line of a stack is the message again.
  if (e.stack) out.stack = e.stack.split("\n").filter((line) => /^\s+at /.test(line)).join("\n");
  if (e.cause !== undefined) out.cause = serializeError(e.cause, depth + 1);
  return out;
}

const safeMessage = (message: string) =>
  FAILED_QUERY.test(message) ? "Failed query (SQL withheld)" : message.replace(/"[^"]*"/g, '"…"');
