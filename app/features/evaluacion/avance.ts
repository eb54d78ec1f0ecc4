import type { EtapaCalculada } from "./calculo";

/**
 * Each assigned evaluador's progress in a stage: how many of the postulaciones in it they have
 * scored, of how many (the gestor's pages show it beside the stage's own progress).
 */
export function avancePorEvaluador(etapa: Pick<EtapaCalculada, "evaluadores" | "resultados">, nombres: Map<string, string>) {
  return etapa.evaluadores.map((id) => ({
    id,
    nombre: nombres.get(id) ?? "Personal deshabilitado",
    calificadas: etapa.resultados.filter((r) => r.puntajes.some((p) => p.evaluadorId === id)).length,
    asignadas: etapa.resultados.length,
  }));
}
