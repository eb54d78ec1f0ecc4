import { and, eq } from "drizzle-orm";
import { desempates } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { aNumeric } from "./numeros";

/**
 * The gestor records how the committee broke a tie at the vacantes boundary: the tied
 * postulaciones in the chosen order and a note (the criterion used, e.g. the bases' rule).
 */
export async function recordDesempate(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  convocatoriaId: string;
  orden: string[];
  nota: string;
}) {
  const { db, clock } = options.services;
  const nota = options.nota.trim();
  if (nota.length < 10) throw new AppError("evaluacion.nota_corta", "Describa cómo se resolvió el empate (al menos 10 caracteres).", { field: "nota", logCause: "short note" });
  if (nota.length > 2000) throw new AppError("evaluacion.nota_larga", "La nota admite hasta 2000 caracteres.", { field: "nota", logCause: "long note" });
  await db.transaction(async (tx) => {
    const ev = await loadEvaluacion(tx, options.convocatoriaId);
    const empate = ev.final?.empates.find(
      (e) => e.postulaciones.length === options.orden.length && new Set(options.orden).size === options.orden.length && options.orden.every((id) => e.postulaciones.includes(id)),
    );
    if (!empate) throw new AppError("evaluacion.orden_no_coincide", "El orden debe incluir, una vez cada una, las postulaciones empatadas.", { field: "orden", logCause: "order does not match a tie" });
    await tx.delete(desempates).where(and(eq(desempates.convocatoriaId, options.convocatoriaId), eq(desempates.puntaje, aNumeric(empate.puntaje))));
    await tx.insert(desempates).values({
      convocatoriaId: options.convocatoriaId,
      puntaje: aNumeric(empate.puntaje),
      orden: options.orden,
      nota,
      recordedBy: options.actorId,
      recordedAt: clock.now(),
    });
    await auditar(tx, options.actorId, "evaluacion.desempate_registrado", { type: "convocatoria", id: options.convocatoriaId }, {
      puntaje: aNumeric(empate.puntaje),
      orden: options.orden,
      nota,
    });
  });
}
