import type { AppLoadContext } from "react-router";
import { AppError } from "~/shared/app-error";
import { invalid } from "~/web/forms.server";

export type RefusalOptions = {
  /** The log line's level, as each page had it: "warn" where a refusal may be an attack (sign-in, codes, roles). */
  level?: "info" | "warn" | ((error: AppError) => "info" | "warn");
  /** More for the log line (ids, the intent; never personal data). */
  log?: Record<string, unknown>;
};

export type AnswerOptions = RefusalOptions & {
  /** A 404 refusal is the page's 404 (thrown, with the error's message) instead of a form answer. */
  notFoundPage?: boolean;
  /** The fields the page shows: the message of any other field (or of several) is shown above the form ("form"). */
  pageFields?: readonly string[];
  /** Fields typed back although their name looks secret (the convocatoria's `codigo`). */
  echo?: readonly string[];
};

/**
 * A refused use case (an AppError) logged in one line — `${where}: refused` with its code,
 * cause and status — and returned, for an answer that is not a form's (a page state, JSON,
 * a redirect). Anything that is not an AppError is rethrown: a bug or a port's failure is a 500.
 */
export function refusal(error: unknown, context: AppLoadContext, where: string, options: RefusalOptions = {}): AppError {
  if (!(error instanceof AppError)) throw error;
  const level = typeof options.level === "function" ? options.level(error) : (options.level ?? "info");
  context.logger[level](
    {
      ...options.log,
      code: error.code,
      cause: error.logCause,
      status: error.status,
      ...(error.fields ? { fields: Object.keys(error.fields).length } : {}),
      ...(error.retryAfterMs !== undefined ? { waitMs: error.retryAfterMs } : {}),
    },
    `${where}: refused`,
  );
  return error;
}

/**
 * A refused use case as the form's answer: each message at its field and in the summary, what
 * was typed put back (FormErrors), the error's status; with `notFoundPage` a 404 is the page's
 * 404 instead. Logged by `refusal`; anything that is not an AppError is rethrown.
 */
export function answerError(error: unknown, formData: FormData, context: AppLoadContext, where: string, options: AnswerOptions = {}) {
  const refused = refusal(error, context, where, options);
  if (options.notFoundPage && refused.status === 404) throw notFound(refused.message);
  const errors = options.pageFields
    ? { [options.pageFields.includes(refused.field) ? refused.field : "form"]: refused.message }
    : refused.fieldErrors();
  return invalid(formData, errors, refused.status, options.echo);
}

/** A use case's 404 as a loader's 404 (plain text, `message` or the error's own); anything else as it was, to rethrow. */
export function asNotFound(error: unknown, message?: string): unknown {
  return error instanceof AppError && error.status === 404 ? notFound(message ?? error.message) : error;
}

/** A 404 for a loader (plain text, like the rest of the admin). */
export function notFound(message = "No encontramos lo solicitado."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
