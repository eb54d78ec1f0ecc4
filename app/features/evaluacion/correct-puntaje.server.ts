import { and, eq } from "drizzle-orm";
import { etapaEvaluadores, publicaciones, puntajes } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import { etapaOr404 } from "./etapa.server";
import { aNumeric, centesimos, formatPuntaje, parsePuntaje } from "./numeros";
import { publicarEnTx } from "./publish-resultados.server";

/**
 * The gestor corrects one evaluador's score in a stage (any state), always with a recorded
 * reason. When that stage's list, a later one, or the final list was already published, each of
 * them is published again (new version, same reason) in the same transaction; if a republication
 * is not possible (e.g. the correction lets someone into a later stage who has no scores there),
 * nothing changes.
 */
export async function correctPuntaje(options: {
  services: Pick<Services, "db" | "clock" | "storage" | "config" | "mailWorker">;
  actorId: string;
  etapaId: string;
  postulacionId: string;
  evaluadorId: string;
  puntaje: string;
  motivo: string;
}): Promise<{ republicadas: number }> {
  const { db, clock } = options.services;
  const motivo = options.motivo.trim();
  if (motivo.length < 10) throw new AppError("evaluacion.motivo_requerido", "Indique el motivo de la corrección (al menos 10 caracteres).", { field: "motivo", logCause: "missing reason" });
  if (motivo.length > 1000) throw new AppError("evaluacion.motivo_largo", "El motivo admite hasta 1000 caracteres.", { field: "motivo", logCause: "long reason" });
  const h = parsePuntaje(options.puntaje);
  if (h == null) throw new AppError("evaluacion.puntaje_no_numerico", "Ingrese un número, por ejemplo 38,5.", { field: "puntaje", logCause: "not a number" });
  if (!isUuid(options.postulacionId) || !isUuid(options.evaluadorId))
    throw new AppError("evaluacion.postulacion_fuera_de_etapa", "Esa postulación no está en esta etapa de evaluación.", { field: "puntaje", logCause: "bad ids" });
  const result = await db.transaction(async (tx) => {
    const etapa = await etapaOr404(tx, options.etapaId, true);
    if (h > centesimos(etapa.maximo))
      throw new AppError("evaluacion.puntaje_fuera_de_rango", `El puntaje debe estar entre 0 y ${formatPuntaje(centesimos(etapa.maximo))}.`, { field: "puntaje", logCause: "out of range" });
    const ev = await loadEvaluacion(tx, etapa.convocatoriaId);
    const calc = ev.calculadas.find((e) => e.id === etapa.id)!;
    if (!calc.resultados.some((r) => r.postulacionId === options.postulacionId))
      throw new AppError("evaluacion.postulacion_fuera_de_etapa", "Esa postulación no está en esta etapa de evaluación.", { field: "puntaje", logCause: "not in stage" });
    const asignado = await tx.query.etapaEvaluadores.findFirst({
      where: and(eq(etapaEvaluadores.etapaId, etapa.id), eq(etapaEvaluadores.staffId, options.evaluadorId)),
    });
    if (!asignado) throw new AppError("evaluacion.no_es_evaluador", "Esa persona no es evaluadora de esta etapa.", { field: "evaluadorId", logCause: "not an evaluador of the stage" });
    const prev = ev.puntajes.find((p) => p.etapaId === etapa.id && p.postulacionId === options.postulacionId && p.evaluadorId === options.evaluadorId);
    if (prev?.puntaje === h) throw new AppError("evaluacion.puntaje_sin_cambios", "El puntaje no cambió.", { field: "puntaje", logCause: "unchanged" });
    const now = clock.now();
    await tx
      .insert(puntajes)
      .values({ etapaId: etapa.id, postulacionId: options.postulacionId, evaluadorId: options.evaluadorId, puntaje: aNumeric(h), createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [puntajes.etapaId, puntajes.postulacionId, puntajes.evaluadorId], set: { puntaje: aNumeric(h), updatedAt: now } });
    await auditar(tx, options.actorId, "evaluacion.puntaje_corregido", { type: "postulacion", id: options.postulacionId }, {
      etapaId: etapa.id,
      evaluadorId: options.evaluadorId,
      anterior: prev ? aNumeric(prev.puntaje) : null,
      nuevo: aNumeric(h),
      motivo,
    });
    // Republish what was published from this stage on, then the final list.
    const publicadas = new Set(
      (await tx.selectDistinct({ alcance: publicaciones.alcance }).from(publicaciones).where(eq(publicaciones.convocatoriaId, etapa.convocatoriaId))).map((r) => r.alcance),
    );
    let republicadas = 0;
    for (const e of ev.etapas.filter((x) => x.orden >= etapa.orden)) {
      if (!publicadas.has(e.id)) continue;
      await publicarEnTx(tx, options.services, { convocatoriaId: etapa.convocatoriaId, alcance: { etapaId: e.id }, actorId: options.actorId, motivo });
      republicadas++;
    }
    if (publicadas.has("final")) {
      await publicarEnTx(tx, options.services, { convocatoriaId: etapa.convocatoriaId, alcance: "final", actorId: options.actorId, motivo });
      republicadas++;
    }
    return { republicadas };
  });
  if (result.republicadas) options.services.mailWorker.kick();
  return result;
}
