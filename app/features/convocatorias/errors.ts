/**
 * A rule of the convocatorias domain was not met. `field` names the form field the message
 * belongs to ("form" for the whole form); `status` is the HTTP answer (422, 404, 409).
 */
export class ConvocatoriaError extends Error {
  constructor(
    message: string,
    readonly field: string = "form",
    readonly status: 404 | 409 | 413 | 422 = 422,
    /** For the log: why, without personal data. */
    readonly cause?: string,
  ) {
    super(message);
    this.name = "ConvocatoriaError";
  }
  /** Several field messages at once (the cronograma's rows). */
  errors?: Record<string, string>;
  static many(errors: Record<string, string>, cause?: string): ConvocatoriaError {
    const first = Object.entries(errors)[0] ?? ["form", "Revise los datos."];
    const e = new ConvocatoriaError(first[1], first[0], 422, cause);
    e.errors = errors;
    return e;
  }
  fieldErrors(): Record<string, string> {
    return this.errors ?? { [this.field]: this.message };
  }
}
