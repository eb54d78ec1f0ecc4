import { ventanaAbierta } from "~/features/convocatorias/estado";
import type { Services } from "~/platform/services.server";
import { loadExpediente } from "./expediente.server";
import { findPostulacion } from "./start-postulacion.server";
import { loadConvocatoriaParaPostulante } from "./ventana.server";

/** What the Postulación page shows (seed 2.1.4), in plain serialisable values. */
export async function getPostulacionPage(options: { services: Services; postulanteId: string; convocatoriaId: string }) {
  const { services, postulanteId, convocatoriaId } = options;
  const { db, clock } = services;
  const { convocatoria: c, tipos } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  const now = clock.now();
  const row = await findPostulacion(db, postulanteId, convocatoriaId);
  const e = row ? await loadExpediente(db, row.id) : null;
  return {
    convocatoria: {
      id: c.id,
      codigo: c.codigo,
      puesto: c.puesto,
      unidadOrganica: c.unidadOrganica,
      postulacionInicio: c.postulacionInicio?.toISOString() ?? null,
      postulacionFin: c.postulacionFin?.toISOString() ?? null,
      abierta: ventanaAbierta(c, now),
      cerrada: Boolean(c.postulacionFin && now >= c.postulacionFin) || c.estado !== "publicada",
    },
    tipos: tipos.map((t) => ({ code: t.code, label: t.label, requerido: t.requerido, maxBytes: t.maxBytes })),
    postulacion: row
      ? {
          id: row.id,
          estado: row.estado,
          numero: row.numero,
          finalizadaAt: row.finalizadaAt?.toISOString() ?? null,
          desistidaAt: row.desistidaAt?.toISOString() ?? null,
          motivoDesistimiento: row.motivoDesistimiento,
          documentosVersion: row.documentosVersion,
        }
      : null,
    documentos: (e?.documentos ?? []).map((d) => ({
      id: d.id,
      tipo: d.tipo,
      tipoLabel: d.tipoNombre,
      filename: d.filename,
      size: d.size,
      pages: d.pages,
      uploadedAt: d.uploadedAt.toISOString(),
      confirmado: Boolean(d.confirmadoAt),
    })),
  };
}

export type PostulacionPage = Awaited<ReturnType<typeof getPostulacionPage>>;
