import { eq } from "drizzle-orm";
import { evaluacionEtapas } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion, type EvaluacionCargada } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { assertEtapaDe, etapaOr404 } from "./etapa.server";
import { assertPostulacionTerminada } from "./plazo";

/**
 * The gestor closes a stage of the convocatoria: every postulación in it has the score of every assigned
 * evaluador, and the postulación window has ended. From then on the next stage lists those
 * who reached the minimum.
 */
export async function closeEtapa(options: { services: Pick<Services, "db" | "clock">; actorId: string; convocatoriaId: string; etapaId: string }) {
  const { db, clock } = options.services;
  await assertEtapaDe(db, options.etapaId, options.convocatoriaId);
  await db.transaction(async (tx) => {
    const etapa = await etapaOr404(tx, options.etapaId, true);
    if (etapa.estado !== "abierta") throw new AppError("evaluacion.etapa_cerrada", `${etapa.nombre} ya estaba cerrada.`, { status: 409, logCause: "already closed" });
    const ev = await loadEvaluacion(tx, etapa.convocatoriaId);
    const calc = assertEtapaCerrable(ev, etapa.id, clock.now());
    const now = clock.now();
    await tx.update(evaluacionEtapas).set({ estado: "cerrada", closedAt: now, closedBy: options.actorId, updatedAt: now }).where(eq(evaluacionEtapas.id, etapa.id));
    await auditar(tx, options.actorId, "evaluacion.etapa_cerrada", { type: "evaluacion_etapa", id: etapa.id }, {
      aptos: calc.resultados.filter((r) => r.apto).length,
      evaluados: calc.resultados.length,
    });
  });
}

/**
 * Why a stage cannot be closed now (the postulación window still open, the previous stage
 * open, no evaluadores, missing scores), as the refusal closeEtapa answers; the stage when it
 * can. The evaluation page asks the same to offer "Cerrar etapa" or say why not.
 */
export function assertEtapaCerrable(ev: EvaluacionCargada, etapaId: string, now: Date) {
  assertPostulacionTerminada(ev.convocatoria, now);
  const calc = ev.calculadas.find((e) => e.id === etapaId)!;
  if (calc.bloqueada) throw new AppError("evaluacion.etapa_anterior_abierta", "Cierre primero la etapa anterior.", { status: 409, logCause: "previous stage open" });
  if (!calc.evaluadores.length) throw new AppError("evaluacion.sin_evaluadores", `${calc.nombre} no tiene evaluadores asignados.`, { status: 409, logCause: "no evaluadores" });
  if (calc.faltantes)
    throw new AppError(
      "evaluacion.faltan_puntajes",
      `Faltan puntajes: ${calc.faltantes} ${calc.faltantes === 1 ? "postulación no tiene" : "postulaciones no tienen"} la calificación de todos sus evaluadores.`,
      { status: 409, logCause: "missing scores" },
    );
  return calc;
}
