import { AppError } from "~/shared/app-error";

export const etapaNoEncontrada = () =>
  new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa de evaluación solicitada.", { status: 404, logCause: "etapa not found" });

export const convocatoriaNoEncontrada = () =>
  new AppError("evaluacion.convocatoria_no_encontrada", "No encontramos la convocatoria solicitada.", { status: 404, logCause: "convocatoria not found" });

/** Several scores of a table wrong at once (field → message): nothing is saved. */
export const puntajesInvalidos = (errors: Record<string, string>) => AppError.many("evaluacion.puntajes_invalidos", errors, "invalid scores");

export const resultadoFinalPublicado = () =>
  new AppError("evaluacion.resultado_final_publicado", "El resultado final ya fue publicado; las bonificaciones no cambian.", { status: 409, logCause: "final published" });

export const configuracionCerrada = (etapa: string) =>
  new AppError("evaluacion.configuracion_cerrada", `La configuración ya no puede cambiar: ${etapa} fue cerrada.`, { status: 409, logCause: "stage already closed" });

/** The message of the refusal `check` throws, or null when it passes: a page says why a control is not offered. */
export function motivoSi(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}
