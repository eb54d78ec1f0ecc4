import type { AppLoadContext } from "react-router";
import { invalid } from "~/web/forms.server";
import { EvaluacionError } from "~/features/evaluacion/errors";
import { PuntajesInvalidos } from "~/features/evaluacion/record-puntaje.server";

/** A refused use case as the form's answer (message at the field and in the summary); anything else is rethrown. */
export function answerRefusal(error: unknown, formData: FormData, context: AppLoadContext, where: string) {
  if (error instanceof PuntajesInvalidos) {
    context.logger.info({ fields: Object.keys(error.errors).length, cause: error.logCause }, `${where}: refused`);
    return invalid(formData, error.errors, error.status);
  }
  if (error instanceof EvaluacionError) {
    context.logger.warn({ cause: error.logCause, status: error.status }, `${where}: refused`);
    return invalid(formData, { [error.field]: error.message }, error.status);
  }
  throw error;
}

/** A 404 for a loader (plain text, like the rest of the admin). */
export function notFound(message = "No encontramos lo solicitado."): Response {
  return new Response(message, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
