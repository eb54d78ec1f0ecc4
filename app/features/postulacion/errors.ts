import { AppError } from "~/shared/app-error";

export const noEncontrada = () =>
  new AppError("postulacion.no_encontrada", "No encontramos la postulación solicitada.", { status: 404, logCause: "not found or not the owner" });

export const ventanaCerrada = (cierre: string | null) =>
  new AppError(
    "postulacion.ventana_cerrada",
    cierre
      ? `El plazo de postulación de esta convocatoria terminó el ${cierre} (hora de Lima). Ya no se pueden cargar documentos ni finalizar la postulación.`
      : "Esta convocatoria no está recibiendo postulaciones en este momento.",
    { status: 409, logCause: "window closed" },
  );

export const yaRegistrada = () =>
  new AppError(
    "postulacion.ya_registrada",
    "Su postulación ya fue registrada; no admite cambios.",
    { status: 409, logCause: "postulación already registrada" },
  );

export const DECLARACION_FALTA = "Marque la casilla de la DECLARACIÓN para finalizar.";

/** The form field of a document's "CONFIRMAR DOCUMENTO CARGADO" checkbox (its id is fieldId of it). */
export const confirmarField = (documentoId: string) => `confirmar-${documentoId}`;
export const confirmarMessage = (tipo: string) => `Marque la casilla «CONFIRMAR DOCUMENTO CARGADO» de ${tipo}.`;

export const MOTIVO_DESISTIMIENTO_MAX = 500;

export const desistimientoNoPermitido = () =>
  new AppError(
    "postulacion.desistimiento_no_permitido",
    "Solo puede desistir de una postulación registrada (finalizada). Un borrador no participa en la evaluación.",
    { status: 409, logCause: "desistimiento of a draft" },
  );

export const yaDesistida = () =>
  new AppError("postulacion.ya_desistida", "Ya desistió de esta postulación.", { status: 409, logCause: "postulación already desistida" });
