import type { Services } from "~/platform/services.server";
import { confirmDocumentos } from "./confirm-documento.server";
import { finalizePostulacion, type Finalizada } from "./finalize-postulacion.server";

/**
 * "Guardar y Finalizar Postulación" (seed 2.1.4–2.1.5): the page's form carries the state of
 * every "CONFIRMAR DOCUMENTO CARGADO" box, saved first, then the finalization. Without
 * JavaScript the button only checks (paso "verificar": nothing missing, then the confirmation
 * page asks); "Aceptar" in the confirmation message (paso "aceptar") registers the postulación.
 */
type Options = {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  postulacionId: string;
  confirmados: readonly string[];
  declaracion: boolean;
};

export async function saveAndFinalizePostulacion(options: Options & { paso: "verificar" }): Promise<Finalizada | null>;
export async function saveAndFinalizePostulacion(options: Options & { paso: "aceptar"; acepto: boolean }): Promise<Finalizada>;
export async function saveAndFinalizePostulacion(options: Options & { paso: "verificar" | "aceptar"; acepto?: boolean }): Promise<Finalizada | null> {
  const { services, postulanteId, convocatoriaId, declaracion } = options;
  await confirmDocumentos({ db: services.db, postulanteId, postulacionId: options.postulacionId, confirmados: options.confirmados, now: services.clock.now() });
  if (options.paso === "verificar") return finalizePostulacion({ services, postulanteId, convocatoriaId, declaracion, soloVerificar: true });
  return finalizePostulacion({ services, postulanteId, convocatoriaId, declaracion, acepto: options.acepto ?? false });
}
