import type { postulantes } from "~/db/schema";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { getPostulacionPage } from "./get-postulacion.server";
import { startPostulacion } from "./start-postulacion.server";
import { loadConvocatoriaParaPostulante } from "./ventana.server";

type Postulante = Pick<
  typeof postulantes.$inferSelect,
  "id" | "nombres" | "apellidoPaterno" | "apellidoMaterno" | "tipoDocumento" | "numeroDocumento" | "email" | "celular" | "direccion"
>;

/**
 * "POSTULAR" (seed 2.1.3) and the Postulación page (2.1.4): the draft is created once, while the
 * window is open (an existing postulación is kept; with the window closed the page still shows
 * the convocatoria and any draft), then what the page shows, with the applicant's data as
 * registered (read-only). An unknown convocatoria is the 404 refusal.
 */
export async function openPostulacion(options: { services: Services; postulante: Postulante; convocatoriaId: string }) {
  const { services, postulante: p, convocatoriaId } = options;
  const loaded = await loadConvocatoriaParaPostulante(services.db, convocatoriaId, p.id);
  // 409: the window is closed and there is no postulación to show.
  const started = await startPostulacion({ db: services.db, postulanteId: p.id, convocatoriaId, now: services.clock.now(), loaded }).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.status === 409) return null;
      throw error;
    },
  );
  const page = await getPostulacionPage({ services, postulanteId: p.id, convocatoriaId, loaded, postulacion: started?.postulacion ?? null });
  return {
    ...page,
    postulante: {
      nombres: p.nombres,
      apellidos: [p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" "),
      documento: `${tipoDocumentoLabel(p.tipoDocumento)} ${p.numeroDocumento}`,
      email: p.email,
      celular: p.celular,
      direccion: p.direccion,
    },
  };
}

export type PostulacionAbierta = Awaited<ReturnType<typeof openPostulacion>>;
