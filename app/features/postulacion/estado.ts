/** A postulación's state as the applicant reads it (shared by the server and the pages). */
export type EstadoPostulacion = "en_registro" | "registrada";

export const ESTADO_POSTULACION_LABEL: Record<EstadoPostulacion, string> = {
  en_registro: "En registro",
  registrada: "Registrada",
};
