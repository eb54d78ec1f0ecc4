/**
 * The one error a use case throws when a person can put it right or must be told no
 * (issue 13): a stable `code` for tests and the log, a Spanish `message` for the page, the
 * form `field` it belongs to ("form": the whole form, above it), several field messages at
 * once when one check found more than one thing (`fields`), the HTTP-like `status` the edge
 * answers with, and a `logCause` for the log (never personal data). One place turns it into
 * an answer: app/web/answer-error.server.ts. Failures of the ports (storage, antivirus, the
 * PDF child…) are not AppErrors: they are not the person's to fix (docs/architecture.md).
 */
export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: AppErrorStatus;
  readonly field: string;
  /** Field → message, when the refusal names several fields (a table of scores, the cronograma). */
  readonly fields?: Readonly<Record<string, string>>;
  /** Why, for the log: no names, documents or e-mail addresses. */
  readonly logCause?: string;
  /** A 429's wait before the next attempt may succeed (milliseconds). */
  readonly retryAfterMs?: number;

  constructor(
    code: AppErrorCode,
    message: string,
    options: {
      status?: AppErrorStatus;
      field?: string;
      fields?: Readonly<Record<string, string>>;
      logCause?: string;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = options.status ?? 422;
    this.field = options.field ?? "form";
    if (options.fields) this.fields = options.fields;
    if (options.logCause !== undefined) this.logCause = options.logCause;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** Several field messages at once (422): the first one is the message and the field. */
  static many(code: AppErrorCode, fields: Record<string, string>, logCause?: string): AppError {
    const [field, message] = Object.entries(fields)[0] ?? ["form", "Revise los datos."];
    return new AppError(code, message, { field, fields, logCause });
  }

  /** The messages by field, for the form's fields and its error summary. */
  fieldErrors(): Record<string, string> {
    return { ...(this.fields ?? { [this.field]: this.message }) };
  }
}

/** `domain.what_happened`, in the domain's own words: "convocatoria.no_encontrada". */
export type AppErrorCode = `${"convocatoria" | "evaluacion" | "postulacion" | "cuenta" | "personal" | "mfa" | "formato" | "entidad" | "tipo_documento" | "alerta"}.${string}`;

/**
 * 401 wrong credentials, 403 not allowed, 404 not found (or not the owner's), 409 the state
 * does not allow it (now), 410 a link that no longer works, 413 a file too large, 422 invalid
 * input, 429 too many attempts, 503 a service the answer needs is down (try again).
 */
export type AppErrorStatus = 401 | 403 | 404 | 409 | 410 | 413 | 422 | 429 | 503;

export const isAppError = (error: unknown, code?: AppErrorCode): error is AppError =>
  error instanceof AppError && (code === undefined || error.code === code);
