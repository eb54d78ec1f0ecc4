/** A refused second-factor step: a Spanish message, its HTTP status and a cause for the log. */
export class MfaError extends Error {
  constructor(
    message: string,
    readonly status: 409 | 422 | 429,
    readonly logCause: string,
  ) {
    super(message);
    this.name = "MfaError";
  }
}

export const WRONG_CODE = "El código no es correcto. Revise la hora de su teléfono e ingrese el código de 6 dígitos que muestra ahora su aplicación.";
export const REPLAYED_CODE = "Ese código ya se usó. Espere a que su aplicación muestre el siguiente código e ingréselo.";
