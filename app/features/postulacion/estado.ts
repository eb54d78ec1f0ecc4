/** A postulación's state as the applicant reads it (shared by the server and the pages). */
export type EstadoPostulacion = "en_registro" | "registrada" | "desistida";

export const ESTADO_POSTULACION_LABEL: Record<EstadoPostulacion, string> = {
  en_registro: "En registro",
  registrada: "Registrada",
  desistida: "Desistida",
};

/** Finalized once (registrada, or desistida after it): it has a number, a constancia and a registered ficha. */
export const fueRegistrada = (estado: EstadoPostulacion) => estado !== "en_registro";
