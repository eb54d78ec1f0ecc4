import { AppError } from "~/shared/app-error";
import { MAX_ALERTAS_POR_CORREO } from "./limites";

export const demasiadasAlertas = (field = "form") =>
  new AppError(
    "alerta.demasiadas",
    `Este correo ya tiene ${MAX_ALERTAS_POR_CORREO} alertas activas, el máximo. Cancele una antes de crear otra.`,
    { status: 409, field, logCause: "alert limit per address reached" },
  );

export const enlaceAlertaInvalido = () =>
  new AppError("alerta.enlace_invalido", "El enlace no es válido o ya venció.", { status: 410, logCause: "alert link unknown, used or expired" });

export const alertaNoEncontrada = () =>
  new AppError("alerta.no_encontrada", "No encontramos esa alerta.", { status: 404, logCause: "alert not found or not the applicant's" });

export const correoSinVerificar = () =>
  new AppError(
    "alerta.correo_sin_verificar",
    "Verifique primero su correo electrónico en «Mi Perfil»: las alertas se envían solo a un correo verificado.",
    { status: 409, field: "email", logCause: "applicant e-mail not verified" },
  );
