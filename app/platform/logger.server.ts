import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON logs. Document numbers, e-mails, passwords and tokens never reach a log line:
 * the redact list is the safety net for fields passed by mistake.
 */
export function createLogger(level = "info"): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        "password", "*.password", "numeroDocumento", "*.numeroDocumento", "email", "*.email",
        "token", "*.token", "req.headers.cookie", "headers.cookie",
      ],
      censor: "[redacted]",
    },
  });
}
