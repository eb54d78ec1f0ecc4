import { AppError } from "~/shared/app-error";

export const WRONG_CODE = "El código no es correcto. Revise la hora de su teléfono e ingrese el código de 6 dígitos que muestra ahora su aplicación.";
export const REPLAYED_CODE = "Ese código ya se usó. Espere a que su aplicación muestre el siguiente código e ingréselo.";

/** A refused second-factor step is shown at the code's field. */
const FIELD = "codigo";

/** Too many wrong codes for this staff member (checked and counted before the code is). */
export const demasiadosIntentos = () =>
  new AppError("mfa.demasiados_intentos", "Demasiados intentos fallidos. Espere unos minutos e inténtelo de nuevo.", {
    status: 429,
    field: FIELD,
    logCause: "throttled",
  });

/** A wrong code, or (`replayed`) one already used in its 30-second step. */
export const codigoRechazado = (replayed: boolean, logCause: string) =>
  new AppError(replayed ? "mfa.codigo_reusado" : "mfa.codigo_incorrecto", replayed ? REPLAYED_CODE : WRONG_CODE, { field: FIELD, logCause });

/** The enrolment's state does not allow the step (no pending secret, already active, not active yet). */
export const estadoMfa = (code: "mfa.sin_clave_pendiente" | "mfa.ya_activada" | "mfa.no_activada", message: string, logCause: string) =>
  new AppError(code, message, { status: 409, field: FIELD, logCause });
