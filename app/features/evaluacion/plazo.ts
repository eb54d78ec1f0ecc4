import { faseDe, type EstadoConvocatoria } from "~/features/convocatorias/estado";
import { formatLima } from "~/shared/lima";
import { AppError } from "~/shared/app-error";

type ConPlazo = { estado: EstadoConvocatoria; postulacionInicio: Date | null; postulacionFin: Date | null };

/**
 * Until the postulación window has ended, more postulaciones may arrive (and would enter a stage
 * already closed): stages are closed and their lists published only after it. Assigning
 * evaluadores and scoring the postulaciones already finalized may start earlier.
 */
export function postulacionSinTerminar(c: ConPlazo, now: Date): boolean {
  const fase = faseDe(c, now);
  return fase === "borrador" || fase === "proxima" || fase === "en_postulacion";
}

/** The notice and the refusal's message while the window has not ended; null after it. */
export function avisoPostulacionSinTerminar(c: ConPlazo, now: Date): string | null {
  if (!postulacionSinTerminar(c, now)) return null;
  const estado =
    faseDe(c, now) === "en_postulacion" && c.postulacionFin
      ? `La postulación sigue abierta hasta el ${formatLima(c.postulacionFin)} (hora de Lima).`
      : "El plazo de postulación aún no termina.";
  return `${estado} Las etapas se cierran y sus resultados se publican cuando termine.`;
}

export function assertPostulacionTerminada(c: ConPlazo, now: Date): void {
  const aviso = avisoPostulacionSinTerminar(c, now);
  if (aviso) throw new AppError("evaluacion.plazo_postulacion_abierto", aviso, { status: 409, logCause: "postulación window not over" });
}
