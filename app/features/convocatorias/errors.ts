import { AppError } from "~/shared/app-error";

/** The convocatoria does not exist (or was deleted meanwhile). */
export const convocatoriaNoExiste = () => new AppError("convocatoria.no_encontrada", "La convocatoria no existe.", { status: 404 });

/** A conditional update found the convocatoria in another state: someone else changed it first. */
export const cambioDeEstado = () =>
  new AppError("convocatoria.cambio_de_estado", "La convocatoria cambió de estado; recargue la página.", { status: 409 });
