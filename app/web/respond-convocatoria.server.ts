import { data, type AppLoadContext } from "react-router";
import { echoValues, type FormErrors } from "~/web/forms.server";
import { ConvocatoriaError } from "~/features/convocatorias/errors";

/** The form-error answer; unlike the shared echo, the convocatoria's código is typed back too. */
export function invalidForm(formData: FormData, errors: Record<string, string>, status = 422) {
  const values = echoValues(formData);
  const codigo = formData.get("codigo");
  if (typeof codigo === "string") values.codigo = codigo.slice(0, 200);
  return data({ errors, values } satisfies FormErrors, { status });
}

/** Maps a domain error to the form answer (and a log line with its cause); anything else is rethrown. */
export function answerError(error: unknown, formData: FormData, context: AppLoadContext) {
  if (!(error instanceof ConvocatoriaError)) throw error;
  if (error.status === 404) throw new Response("La convocatoria no existe.", { status: 404 });
  context.logger.info({ cause: error.cause ?? error.message, status: error.status }, "convocatoria: refused");
  return invalidForm(formData, error.fieldErrors(), error.status);
}
