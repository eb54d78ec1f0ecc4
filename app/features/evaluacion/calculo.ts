import { redondear } from "./numeros";

/**
 * The evaluation rules, as pure functions over plain data (docs/evaluacion.md). All scores
 * are integer hundredths. The database loader (load-evaluacion.server.ts) feeds them.
 */

export type TipoEtapa = "curricular" | "tecnica" | "entrevista";
export type EstadoEtapa = "abierta" | "cerrada" | "publicada";
export type TipoBonificacion = "ffaa" | "discapacidad" | "deportista";

export type EtapaDef = {
  id: string;
  orden: number;
  tipo: TipoEtapa;
  nombre: string;
  /** Weight in percent, hundredths (5000 = 50 %). */
  peso: number;
  maximo: number;
  minimo: number;
  estado: EstadoEtapa;
  evaluadores: string[];
};

export type PostulacionBase = { id: string; numero: string };

export type Puntaje = { etapaId: string; postulacionId: string; evaluadorId: string; puntaje: number };

export type Bonificacion = { postulacionId: string; tipo: TipoBonificacion; nivel: number | null; validada: boolean };

export type Desempate = { puntaje: number; orden: string[]; nota: string };

export type ResultadoEtapa = {
  postulacionId: string;
  /** The assigned evaluadores' scores (only theirs count). */
  puntajes: { evaluadorId: string; puntaje: number }[];
  /** Average of the assigned evaluadores' scores, rounded to hundredths; null until all scored. */
  promedio: number | null;
  apto: boolean | null;
};

export type EtapaCalculada = EtapaDef & {
  /** Why nobody is listed yet (the previous stage is not closed). */
  bloqueada: boolean;
  resultados: ResultadoEtapa[];
  /** Postulaciones still missing one or more assigned evaluadores' scores. */
  faltantes: number;
};

export type Condicion = "ganador" | "accesitario" | "no_apto";

export type ResultadoFinal = {
  postulacionId: string;
  /** Stage averages, by stage id (missing when the applicant did not reach that stage). */
  etapas: Record<string, number>;
  base: number | null;
  /** Bonificación percent (hundredths of a percent are not used: whole percent). */
  bonificacionPct: number;
  bonificacion: number;
  final: number | null;
  orden: number | null;
  condicion: Condicion;
  /** The stage at which the applicant was eliminated (for NO APTO). */
  eliminadoEn: string | null;
  /** Part of a tie at the vacantes boundary (decisive place). */
  empate: boolean;
};

export type Empate = { puntaje: number; postulaciones: string[]; resuelto: Desempate | null };

export const PORCENTAJE_DEPORTISTA = [20, 16, 12, 8, 4] as const;

/** Percent of one validated bonificación. */
export function porcentajeBonificacion(b: { tipo: TipoBonificacion; nivel: number | null }): number {
  if (b.tipo === "ffaa") return 10;
  if (b.tipo === "discapacidad") return 15;
  return PORCENTAJE_DEPORTISTA[(b.nivel ?? 0) - 1] ?? 0;
}

/** Accumulated (sum) or only the highest, as the convocatoria says. */
export function porcentajeTotal(bonos: { tipo: TipoBonificacion; nivel: number | null }[], acumulables: boolean): number {
  const pcts = bonos.map(porcentajeBonificacion);
  if (!pcts.length) return 0;
  return acumulables ? pcts.reduce((a, b) => a + b, 0) : Math.max(...pcts);
}

/** Average of integer hundredths, rounded half up to hundredths. */
export function promedio(values: number[]): number | null {
  if (!values.length) return null;
  return redondear(values.reduce((a, b) => a + b, 0) / values.length);
}

/** Stage by stage: who is in it (those who passed the previous one), their average, APTO / NO APTO. */
export function calcularEtapas(
  etapas: EtapaDef[],
  postulaciones: PostulacionBase[],
  puntajes: Puntaje[],
): EtapaCalculada[] {
  const byEtapa = new Map<string, Map<string, Puntaje[]>>();
  for (const p of puntajes) {
    let m = byEtapa.get(p.etapaId);
    if (!m) byEtapa.set(p.etapaId, (m = new Map()));
    const list = m.get(p.postulacionId);
    if (list) list.push(p);
    else m.set(p.postulacionId, [p]);
  }
  const out: EtapaCalculada[] = [];
  let enCarrera: string[] = postulaciones.map((p) => p.id);
  let anteriorCerrada = true;
  for (const etapa of [...etapas].sort((a, b) => a.orden - b.orden)) {
    const bloqueada = !anteriorCerrada;
    const ids = bloqueada ? [] : enCarrera;
    const asignados = new Set(etapa.evaluadores);
    const scores = byEtapa.get(etapa.id) ?? new Map<string, Puntaje[]>();
    let faltantes = 0;
    const resultados = ids.map((postulacionId): ResultadoEtapa => {
      const mine = (scores.get(postulacionId) ?? []).filter((s) => asignados.has(s.evaluadorId));
      const completo = asignados.size > 0 && mine.length === asignados.size;
      if (!completo) faltantes++;
      const prom = completo ? promedio(mine.map((s) => s.puntaje)) : null;
      return {
        postulacionId,
        puntajes: mine.map((s) => ({ evaluadorId: s.evaluadorId, puntaje: s.puntaje })),
        promedio: prom,
        apto: prom == null ? null : prom >= etapa.minimo,
      };
    });
    out.push({ ...etapa, bloqueada, resultados, faltantes });
    enCarrera = resultados.filter((r) => r.apto).map((r) => r.postulacionId);
    anteriorCerrada = etapa.estado !== "abierta";
  }
  return out;
}

/**
 * The final result. base = Σ (stage average × stage weight / stage maximum), rounded to
 * hundredths; bonificación = base × percent / 100, rounded; final = base + bonificación.
 * Merit order by final score; a tie across the vacantes boundary is flagged, and broken by
 * a recorded desempate whose set of postulaciones is exactly the tied group.
 */
export function calcularFinal(options: {
  etapas: EtapaCalculada[];
  postulaciones: PostulacionBase[];
  bonificaciones: Bonificacion[];
  acumulables: boolean;
  vacantes: number;
  desempates: Desempate[];
}): { resultados: ResultadoFinal[]; empates: Empate[] } {
  const { etapas, postulaciones, acumulables, vacantes } = options;
  const sorted = [...etapas].sort((a, b) => a.orden - b.orden);
  const last = sorted.at(-1);
  const bonosDe = new Map<string, Bonificacion[]>();
  for (const b of options.bonificaciones) if (b.validada) bonosDe.set(b.postulacionId, [...(bonosDe.get(b.postulacionId) ?? []), b]);

  const porId = sorted.map((e) => new Map(e.resultados.map((r) => [r.postulacionId, r])));
  const resultados: ResultadoFinal[] = postulaciones.map((p) => {
    const porEtapa: Record<string, number> = {};
    let eliminadoEn: string | null = null;
    let exact = 0;
    for (const [i, e] of sorted.entries()) {
      const r = porId[i]!.get(p.id);
      if (!r) {
        eliminadoEn ??= e.id;
        continue;
      }
      if (r.promedio != null) porEtapa[e.id] = r.promedio;
      if (r.apto === false) eliminadoEn ??= e.id;
      if (r.promedio != null) exact += (r.promedio * e.peso) / e.maximo;
    }
    const paso = !!last && eliminadoEn === null && porEtapa[last.id] != null;
    if (!paso) {
      return { postulacionId: p.id, etapas: porEtapa, base: null, bonificacionPct: 0, bonificacion: 0, final: null, orden: null, condicion: "no_apto", eliminadoEn, empate: false };
    }
    // (average / maximum) × weight: with hundredths throughout, the result is hundredths of a point.
    const base = redondear(exact);
    const pct = porcentajeTotal(bonosDe.get(p.id) ?? [], acumulables);
    const bonificacion = redondear((base * pct) / 100);
    return { postulacionId: p.id, etapas: porEtapa, base, bonificacionPct: pct, bonificacion, final: base + bonificacion, orden: null, condicion: "accesitario", eliminadoEn: null, empate: false };
  });

  const numero = new Map(postulaciones.map((p) => [p.id, p.numero]));
  const aptos = resultados.filter((r) => r.final != null);
  // Group by final score, best first.
  const grupos = new Map<number, ResultadoFinal[]>();
  for (const r of aptos) grupos.set(r.final!, [...(grupos.get(r.final!) ?? []), r]);
  const puntajesDesc = [...grupos.keys()].sort((a, b) => b - a);
  const empates: Empate[] = [];
  let pos = 0;
  for (const puntaje of puntajesDesc) {
    const grupo = grupos.get(puntaje)!;
    const desde = pos + 1;
    const hasta = pos + grupo.length;
    const decisivo = grupo.length > 1 && desde <= vacantes && hasta > vacantes;
    const ids = new Set(grupo.map((r) => r.postulacionId));
    const desempate = decisivo
      ? (options.desempates.find((d) => d.puntaje === puntaje && d.orden.length === ids.size && d.orden.every((id) => ids.has(id))) ?? null)
      : null;
    if (decisivo) empates.push({ puntaje, postulaciones: [...ids], resuelto: desempate });
    const ordered = desempate
      ? desempate.orden.map((id) => grupo.find((r) => r.postulacionId === id)!)
      : [...grupo].sort((a, b) => (numero.get(a.postulacionId) ?? "").localeCompare(numero.get(b.postulacionId) ?? ""));
    for (const r of ordered) {
      r.orden = ++pos;
      r.condicion = r.orden <= vacantes ? "ganador" : "accesitario";
      r.empate = decisivo;
    }
  }
  resultados.sort((a, b) => (a.orden ?? Infinity) - (b.orden ?? Infinity) || (numero.get(a.postulacionId) ?? "").localeCompare(numero.get(b.postulacionId) ?? ""));
  return { resultados, empates };
}
