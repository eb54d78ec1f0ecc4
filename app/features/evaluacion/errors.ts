/**
 * A refusal of an evaluación use case: a Spanish message, the HTTP status the route answers
 * with, the form field it belongs to ("form" when none) and a cause for the log (no personal data).
 */
export class EvaluacionError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404 | 409 | 422 | 429,
    readonly field: string,
    readonly logCause: string,
  ) {
    super(message);
    this.name = "EvaluacionError";
  }
}

export const etapaNoEncontrada = () =>
  new EvaluacionError("No encontramos la etapa de evaluación solicitada.", 404, "form", "etapa not found");

export const convocatoriaNoEncontrada = () =>
  new EvaluacionError("No encontramos la convocatoria solicitada.", 404, "form", "convocatoria not found");
