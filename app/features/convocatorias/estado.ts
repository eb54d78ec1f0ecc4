/**
 * The phase a visitor sees. Only borrador, publicada, concluida, cancelada and desierta are
 * stored; a publicada one is "próxima" before its window, "en postulación" during it and
 * "en evaluación" after it, by the server's clock. The window is [inicio, fin): it closes at
 * the instant `fin`.
 */
export type EstadoConvocatoria = "borrador" | "publicada" | "concluida" | "cancelada" | "desierta";
export type Fase = "borrador" | "proxima" | "en_postulacion" | "en_evaluacion" | "concluida" | "cancelada" | "desierta";

export const FASE_LABEL: Record<Fase, string> = {
  borrador: "Borrador",
  proxima: "Publicada (postulación aún no inicia)",
  en_postulacion: "En postulación",
  en_evaluacion: "En evaluación",
  concluida: "Concluida",
  cancelada: "Cancelada",
  desierta: "Desierta",
};

export function faseDe(
  c: { estado: EstadoConvocatoria; postulacionInicio: Date | null; postulacionFin: Date | null },
  now: Date,
): Fase {
  if (c.estado !== "publicada") return c.estado;
  if (!c.postulacionInicio || !c.postulacionFin) return "proxima";
  if (now < c.postulacionInicio) return "proxima";
  if (now < c.postulacionFin) return "en_postulacion";
  return "en_evaluacion";
}

/** Whether an applicant may apply now: the server's check (issue 4 repeats it at each upload). */
export function ventanaAbierta(
  c: { estado: EstadoConvocatoria; postulacionInicio: Date | null; postulacionFin: Date | null },
  now: Date,
): boolean {
  return faseDe(c, now) === "en_postulacion";
}

/** The public list's estado filter. "concluidas" covers every finished process. */
export const FILTROS_ESTADO = [
  { value: "en_postulacion", label: "En postulación" },
  { value: "en_evaluacion", label: "En evaluación" },
  { value: "concluidas", label: "Concluidas" },
] as const;
export type FiltroEstado = (typeof FILTROS_ESTADO)[number]["value"];
