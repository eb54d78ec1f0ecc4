/**
 * A refusal of a postulación use case: a Spanish message for the applicant, the HTTP
 * status the route answers with, the form field it belongs to ("form" when none) and a
 * cause for the log (never personal data).
 */
export class PostulacionError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409 | 413 | 422 | 503,
    readonly field: string,
    readonly logCause: string,
    /** Several fields at once (field → message), when one check found more than one thing to fix. */
    readonly fields?: Readonly<Record<string, string>>,
  ) {
    super(message);
    this.name = "PostulacionError";
  }

  /** The messages by field, for the form's error summary. */
  fieldErrors(): Record<string, string> {
    return { ...(this.fields ?? { [this.field]: this.message }) };
  }
}

export const noEncontrada = () =>
  new PostulacionError("No encontramos la postulación solicitada.", 404, "form", "not found or not the owner");

export const ventanaCerrada = (cierre: string | null) =>
  new PostulacionError(
    cierre
      ? `El plazo de postulación de esta convocatoria terminó el ${cierre} (hora de Lima). Ya no se pueden cargar documentos ni finalizar la postulación.`
      : "Esta convocatoria no está recibiendo postulaciones en este momento.",
    409,
    "form",
    "window closed",
  );

export const yaRegistrada = () =>
  new PostulacionError(
    "Su postulación ya fue registrada; no admite cambios.",
    409,
    "form",
    "postulación already registrada",
  );

export const DECLARACION_FALTA = "Marque la casilla de la DECLARACIÓN para finalizar.";

/** The form field of a document's "CONFIRMAR DOCUMENTO CARGADO" checkbox (its id is fieldId of it). */
export const confirmarField = (documentoId: string) => `confirmar-${documentoId}`;
export const confirmarMessage = (tipo: string) => `Marque la casilla «CONFIRMAR DOCUMENTO CARGADO» de ${tipo}.`;
