import { and, desc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { bonificaciones, convocatorias, evaluacionEtapas, postulaciones, publicaciones } from "~/db/schema";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import { porcentajeBonificacion, type TipoBonificacion } from "./calculo";
import { centesimos } from "./numeros";
import type { FilaPublicada } from "./publish-resultados.server";

/** The law that grants each bonificación, as the applicant reads it beside the percent. */
export const BONIFICACION_LEY: Record<TipoBonificacion, { nombre: string; ley: string }> = {
  ffaa: { nombre: "Personal licenciado(a) de las Fuerzas Armadas", ley: "Ley N.° 29248, Ley del Servicio Militar, y su reglamento" },
  discapacidad: { nombre: "Persona con discapacidad", ley: "Ley N.° 29973, Ley General de la Persona con Discapacidad (art. 48)" },
  deportista: { nombre: "Deportista Calificado de Alto Nivel", ley: "Ley N.° 27674 y su reglamento (según el nivel acreditado)" },
};

export type MiResultadoEtapa = {
  etapa: string;
  /** Hundredths; null when the list did not score this applicant (NO APTO before reaching it). */
  puntaje: number | null;
  minimo: number;
  maximo: number;
  resultado: FilaPublicada["resultado"];
  publishedAt: string;
  version: number;
  /** A later version's reason (fe de erratas), if this is one. */
  motivo: string | null;
};

export type MiResultadoFinal = {
  base: number | null;
  bonificaciones: { nombre: string; ley: string; porcentaje: number }[];
  /** The percent applied, as published (summed, or only the highest, as the bases say). */
  bonificacionPct: number;
  bonificacion: number | null;
  puntaje: number | null;
  orden: number | null;
  resultado: FilaPublicada["resultado"];
  publishedAt: string;
  version: number;
  motivo: string | null;
};

/**
 * "Mis resultados" of one postulación, for its applicant only: their own row of the latest
 * version of each published list — each stage's score, its minimum and result, and the final
 * score with the bonificaciones applied and the law that grants each. Nothing of any other
 * applicant is read into the answer. Another applicant's postulación (or an unknown id) is a 404.
 */
export async function getMisResultados(db: Db, options: { postulanteId: string; postulacionId: string }) {
  const noExiste = () => new AppError("postulacion.no_encontrada", "No encontramos esa postulación.", { status: 404, logCause: "not the applicant's" });
  if (!isUuid(options.postulacionId)) throw noExiste();
  const [p] = await db
    .select({ id: postulaciones.id, numero: postulaciones.numero, convocatoriaId: postulaciones.convocatoriaId, codigo: convocatorias.codigo, puesto: convocatorias.puesto })
    .from(postulaciones)
    .innerJoin(convocatorias, eq(convocatorias.id, postulaciones.convocatoriaId))
    .where(and(eq(postulaciones.id, options.postulacionId), eq(postulaciones.postulanteId, options.postulanteId)));
  if (!p) throw noExiste();

  const [listas, etapas] = await Promise.all([
    db
      .selectDistinctOn([publicaciones.alcance])
      .from(publicaciones)
      .where(eq(publicaciones.convocatoriaId, p.convocatoriaId))
      .orderBy(publicaciones.alcance, desc(publicaciones.version)),
    db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, p.convocatoriaId)).orderBy(evaluacionEtapas.orden),
  ]);
  const mia = (filas: unknown) => (filas as FilaPublicada[]).find((f) => f.postulacionId === p.id);

  const porEtapa: MiResultadoEtapa[] = [];
  for (const etapa of etapas) {
    const lista = listas.find((l) => l.alcance === etapa.id);
    const fila = lista && mia(lista.filas);
    if (!lista || !fila) continue;
    porEtapa.push({
      etapa: etapa.nombre,
      puntaje: fila.puntaje,
      minimo: centesimos(etapa.minimo),
      maximo: centesimos(etapa.maximo),
      resultado: fila.resultado,
      publishedAt: lista.publishedAt.toISOString(),
      version: lista.version,
      motivo: lista.motivo,
    });
  }

  let final: MiResultadoFinal | null = null;
  const listaFinal = listas.find((l) => l.alcance === "final");
  const filaFinal = listaFinal && mia(listaFinal.filas);
  if (listaFinal && filaFinal) {
    const validadas = await db
      .select({ tipo: bonificaciones.tipo, nivel: bonificaciones.nivel })
      .from(bonificaciones)
      .where(and(eq(bonificaciones.postulacionId, p.id), eq(bonificaciones.validada, true)));
    final = {
      base: filaFinal.base ?? null,
      // The validated ones, when the published row applied any (a NO APTO row applies none).
      bonificaciones: filaFinal.bonificacionPct
        ? validadas.map((b) => ({ ...BONIFICACION_LEY[b.tipo], porcentaje: porcentajeBonificacion(b) }))
        : [],
      bonificacionPct: filaFinal.bonificacionPct ?? 0,
      bonificacion: filaFinal.bonificacion ?? null,
      puntaje: filaFinal.puntaje,
      orden: filaFinal.orden ?? null,
      resultado: filaFinal.resultado,
      publishedAt: listaFinal.publishedAt.toISOString(),
      version: listaFinal.version,
      motivo: listaFinal.motivo,
    };
  }
  return { postulacion: { id: p.id, numero: p.numero, codigo: p.codigo, puesto: p.puesto, convocatoriaId: p.convocatoriaId }, etapas: porEtapa, final };
}
