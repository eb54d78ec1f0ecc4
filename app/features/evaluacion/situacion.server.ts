import type { EvaluacionCargada } from "./load-evaluacion.server";

export type Situacion = {
  clave: "pendiente" | "apto" | "no_apto" | "ganador" | "accesitario";
  etiqueta: string;
  /** The final score when known, else the latest stage average (hundredths). */
  puntaje: number | null;
  /** Each stage's average, by stage id. */
  etapas: Record<string, number | null>;
  bonificacionPct: number;
};

/** Where each postulación stands in the evaluation, for the review table and the export. */
export function situaciones(ev: EvaluacionCargada): Map<string, Situacion> {
  const out = new Map<string, Situacion>();
  const finales = new Map(ev.final?.resultados.map((r) => [r.postulacionId, r]) ?? []);
  const porEtapa = ev.calculadas.map((e) => ({ e, m: new Map(e.resultados.map((r) => [r.postulacionId, r])) }));
  for (const p of ev.postulaciones) {
    const etapas: Record<string, number | null> = {};
    let last: { nombre: string; promedio: number | null; apto: boolean | null } | null = null;
    for (const { e, m } of porEtapa) {
      const r = m.get(p.id);
      etapas[e.id] = r?.promedio ?? null;
      if (r) last = { nombre: e.nombre, promedio: r.promedio, apto: r.apto };
    }
    const f = finales.get(p.id);
    let s: Situacion;
    if (f && f.condicion !== "no_apto") {
      s = { clave: f.condicion, etiqueta: f.condicion === "ganador" ? "GANADOR" : "ACCESITARIO", puntaje: f.final, etapas, bonificacionPct: f.bonificacionPct };
    } else if (last?.apto === false || (f && f.condicion === "no_apto")) {
      s = { clave: "no_apto", etiqueta: last ? `NO APTO (${last.nombre})` : "NO APTO", puntaje: last?.promedio ?? null, etapas, bonificacionPct: 0 };
    } else if (last && last.apto) {
      s = { clave: "apto", etiqueta: `APTO (${last.nombre})`, puntaje: last.promedio, etapas, bonificacionPct: 0 };
    } else {
      s = { clave: "pendiente", etiqueta: last ? `Por calificar (${last.nombre})` : "Por calificar", puntaje: null, etapas, bonificacionPct: 0 };
    }
    out.set(p.id, s);
  }
  return out;
}
