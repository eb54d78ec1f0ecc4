import { perfilDeConvocatoria } from "~/features/convocatorias/convocatoria-datos.server";
import { ventanaAbierta } from "~/features/convocatorias/estado";
import type { Services } from "~/platform/services.server";
import { requisitosDelPerfil } from "./evidencias";
import { loadExpediente } from "./expediente.server";
import { listArchivos } from "./list-archivos.server";
import { findPostulacion, type Postulacion } from "./start-postulacion.server";
import { loadConvocatoriaParaPostulante, type ConvocatoriaParaPostulante } from "./ventana.server";

/**
 * What the Postulación page shows (seed 2.1.4), in plain serialisable values. A caller that
 * has just read the convocatoria and the postulación (openPostulacion) passes them: the
 * costliest page of the deadline-day crowd reads each once (bench/README.md).
 */
export async function getPostulacionPage(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  loaded?: ConvocatoriaParaPostulante;
  /** The applicant's postulación to it, or null when known to be none. */
  postulacion?: Postulacion | null;
}) {
  const { services, postulanteId, convocatoriaId } = options;
  const { db, clock } = services;
  const { convocatoria: c, tipos } = options.loaded ?? (await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId));
  const now = clock.now();
  const row = options.postulacion === undefined ? await findPostulacion(db, postulanteId, convocatoriaId) : options.postulacion;
  const [e, guardados, perfil] = await Promise.all([
    row ? loadExpediente(db, row.id) : null,
    listArchivos(db, postulanteId),
    perfilDeConvocatoria(db, convocatoriaId),
  ]);
  const docs = e?.documentos ?? [];
  // A file may move up or down among its type's files (the ficha merges them in this order).
  const vecino = (i: number, paso: number) => docs[i + paso]?.tipo === docs[i]!.tipo;
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
    documentos: docs.map((d, i) => ({
      id: d.id,
      subir: vecino(i, -1),
      bajar: vecino(i, 1),
      tipo: d.tipo,
      tipoLabel: d.tipoNombre,
      filename: d.filename,
      size: d.size,
      pages: d.pages,
      uploadedAt: d.uploadedAt.toISOString(),
      confirmado: Boolean(d.confirmadoAt),
    })),
    /** "Sustento de requisitos del perfil": the requirements the perfil states and the evidence given. */
    requisitos: requisitosDelPerfil(perfil),
    evidencias: (e?.evidencias ?? []).map((v) => ({ requisito: v.requisito, documentoId: v.documentoId, paginas: v.paginas, tipoNombre: v.tipoNombre, filename: v.filename })),
    /** Mis documentos, for "Usar un documento guardado". */
    guardados: guardados.map((a) => ({ id: a.id, tipo: a.tipo, tipoNombre: a.tipoNombre, filename: a.filename, pages: a.pages, size: a.size })),
  };
}

export type PostulacionPage = Awaited<ReturnType<typeof getPostulacionPage>>;
