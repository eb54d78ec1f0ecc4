import { AppError } from "~/shared/app-error";

export const etapaNoEncontrada = () =>
  new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa de evaluación solicitada.", { status: 404, logCause: "etapa not found" });

export const convocatoriaNoEncontrada = () =>
  new AppError("evaluacion.convocatoria_no_encontrada", "No encontramos la convocatoria solicitada.", { status: 404, logCause: "convocatoria not found" });

/** Several scores of a table wrong at once (field → message): nothing is saved. */
export const puntajesInvalidos = (errors: Record<string, string>) => AppError.many("evaluacion.puntajes_invalidos", errors, "invalid scores");
