import { desc, eq, inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { evaluacionEtapas, postulaciones, publicaciones } from "~/db/schema";
import type { FilaPublicada } from "./publish-resultados.server";

export type FilaPublica = Omit<FilaPublicada, "postulacionId">;

export type ListaPublicada = {
  id: string;
  titulo: string;
  alcance: string;
  version: number;
  motivo: string | null;
  publishedAt: string;
  /** For the final list: the stages' names, in the order of `filas[].etapas`. */
  etapas: string[];
  filas: FilaPublica[];
  pdfUrl: string | null;
  /**
   * The earlier versions of this list, newest first (fe de erratas): kept public with their
   * PDF, each marked as corrected by the version after it and why.
   */
  anteriores: { version: number; publishedAt: string; pdfUrl: string | null; corregidaPor: { version: number; motivo: string | null } }[];
};

/**
 * The latest version of each published list of a convocatoria (final first, then the stages,
 * last stage first), for its public page, with the earlier versions it corrected (their rows are
 * not read: the page links their PDFs). Applicants' ids are dropped: only what was published.
 */
export async function getResultadosPublicados(db: Db, convocatoriaId: string): Promise<ListaPublicada[]> {
  const [rows, versiones] = await Promise.all([
    db
      .selectDistinctOn([publicaciones.alcance])
      .from(publicaciones)
      .where(eq(publicaciones.convocatoriaId, convocatoriaId))
      .orderBy(publicaciones.alcance, desc(publicaciones.version)),
    db
      .select({ id: publicaciones.id, alcance: publicaciones.alcance, version: publicaciones.version, motivo: publicaciones.motivo, publishedAt: publicaciones.publishedAt, pdfKey: publicaciones.pdfKey })
      .from(publicaciones)
      .where(eq(publicaciones.convocatoriaId, convocatoriaId))
      .orderBy(desc(publicaciones.version)),
  ]);
  if (!rows.length) return [];
  const pdfUrl = (r: { id: string; pdfKey: string | null }) => (r.pdfKey ? `/convocatorias/${convocatoriaId}/resultados/${r.id}` : null);
  const anteriores = (alcance: string) => {
    const todas = versiones.filter((v) => v.alcance === alcance);
    return todas.slice(1).map((v) => {
      const siguiente = todas.find((n) => n.version === v.version + 1)!;
      return { version: v.version, publishedAt: v.publishedAt.toISOString(), pdfUrl: pdfUrl(v), corregidaPor: { version: siguiente.version, motivo: siguiente.motivo } };
    });
  };
  const etapas = await db
    .select({ id: evaluacionEtapas.id, nombre: evaluacionEtapas.nombre, orden: evaluacionEtapas.orden })
    .from(evaluacionEtapas)
    .where(eq(evaluacionEtapas.convocatoriaId, convocatoriaId))
    .orderBy(evaluacionEtapas.orden);
  const orden = (alcance: string) => (alcance === "final" ? 1000 : (etapas.find((e) => e.id === alcance)?.orden ?? 0));
  return rows
    .sort((a, b) => orden(b.alcance) - orden(a.alcance))
    .map((r) => ({
      id: r.id,
      titulo: r.titulo,
      alcance: r.alcance,
      version: r.version,
      motivo: r.motivo,
      publishedAt: r.publishedAt.toISOString(),
      etapas: r.alcance === "final" ? etapas.map((e) => e.nombre) : [],
      filas: (r.filas as FilaPublicada[]).map(({ postulacionId: _omit, ...rest }) => rest),
      pdfUrl: pdfUrl(r),
      anteriores: anteriores(r.alcance),
    }));
}

export type EstadoEvaluacion = { titulo: string; resultado: FilaPublicada["resultado"]; puntaje: number | null; publishedAt: string; version: number };

/**
 * For "Mis postulaciones": each postulación's result in the latest published list that names it
 * (a stage's APTO / NO APTO, or the final GANADOR / ACCESITARIO / NO APTO). Absent: nothing published yet.
 */
export async function estadoEvaluacion(db: Db, postulacionIds: string[]): Promise<Record<string, EstadoEvaluacion>> {
  if (!postulacionIds.length) return {};
  const convs = await db
    .selectDistinct({ id: postulaciones.convocatoriaId })
    .from(postulaciones)
    .where(inArray(postulaciones.id, postulacionIds));
  if (!convs.length) return {};
  const rows = await db
    .select({ p: publicaciones, orden: evaluacionEtapas.orden })
    .from(publicaciones)
    .leftJoin(evaluacionEtapas, eq(evaluacionEtapas.id, publicaciones.etapaId))
    .where(inArray(publicaciones.convocatoriaId, convs.map((c) => c.id)));
  // Latest first; at the same instant the final list outranks the stages, a later stage an earlier one.
  const rank = (r: (typeof rows)[number]) => (r.p.alcance === "final" ? 1000 : (r.orden ?? 0));
  const pubs = rows
    .sort((a, b) => b.p.publishedAt.getTime() - a.p.publishedAt.getTime() || rank(b) - rank(a) || b.p.version - a.p.version)
    .map((r) => r.p);
  const out: Record<string, EstadoEvaluacion> = {};
  const wanted = new Set(postulacionIds);
  for (const p of pubs) {
    for (const f of p.filas as FilaPublicada[]) {
      if (!wanted.has(f.postulacionId) || out[f.postulacionId]) continue;
      out[f.postulacionId] = { titulo: p.titulo, resultado: f.resultado, puntaje: f.puntaje, publishedAt: p.publishedAt.toISOString(), version: p.version };
    }
  }
  return out;
}
