import { and, eq } from "drizzle-orm";
import { etapaEvaluadores, puntajes } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion, nombreNatural } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { puntajesInvalidos } from "./errors";
import { etapaOr404 } from "./etapa.server";
import { OBSERVACION_MAX } from "./etiquetas";
import { aNumeric, centesimos, formatPuntaje, parsePuntaje } from "./numeros";

export type FilaPuntaje = { postulacionId: string; puntaje: string; observacion: string };

/**
 * An evaluador enters (or changes) scores and observaciones in a stage assigned to them,
 * one row or the whole table at once: every row is checked first and nothing is saved when
 * one is wrong. A blank score leaves that row as it was. Each change is audited (old, new).
 */
export async function recordPuntaje(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  etapaId: string;
  filas: FilaPuntaje[];
}): Promise<{ guardados: number }> {
  const { db, clock } = options.services;
  const now = clock.now();
  return db.transaction(async (tx) => {
    const etapa = await etapaOr404(tx, options.etapaId, true);
    const asignado = await tx.query.etapaEvaluadores.findFirst({
      where: and(eq(etapaEvaluadores.etapaId, etapa.id), eq(etapaEvaluadores.staffId, options.actorId)),
    });
    if (!asignado)
      throw new AppError("evaluacion.no_asignado", "Usted no está asignado(a) como evaluador(a) de esta etapa.", { status: 403, logCause: "not assigned" });
    if (etapa.estado !== "abierta")
      throw new AppError("evaluacion.etapa_cerrada", `${etapa.nombre} ya fue cerrada: los puntajes no se pueden cambiar aquí.`, { status: 409, logCause: "stage closed" });
    const ev = await loadEvaluacion(tx, etapa.convocatoriaId);
    const enEtapa = new Set(ev.calculadas.find((e) => e.id === etapa.id)?.resultados.map((r) => r.postulacionId));
    const maximo = centesimos(etapa.maximo);
    const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
    // Each message names the postulación it refers to ("2026-000123 (Ana Quispe)"): the error summary lists a whole page of rows.
    const ref = (id: string) => `${byId.get(id)!.numero} (${nombreNatural(byId.get(id)!.nombre)})`;
    const errors: Record<string, string> = {};
    const cambios: { postulacionId: string; puntaje: number; observacion: string }[] = [];
    for (const f of options.filas) {
      const pk = `puntaje_${f.postulacionId}`;
      if (!enEtapa.has(f.postulacionId)) {
        errors[pk] = byId.has(f.postulacionId) ? `La postulación ${ref(f.postulacionId)} no está en esta etapa de evaluación.` : "Esa postulación no está en esta etapa de evaluación.";
        continue;
      }
      const observacion = f.observacion.trim();
      if (observacion.length > OBSERVACION_MAX) errors[`observacion_${f.postulacionId}`] = `La observación de la postulación ${ref(f.postulacionId)} admite hasta ${OBSERVACION_MAX} caracteres.`;
      if (f.puntaje.trim() === "") {
        if (observacion) errors[pk] = `Ingrese el puntaje de la postulación ${ref(f.postulacionId)}: tiene una observación sin puntaje.`;
        continue;
      }
      const h = parsePuntaje(f.puntaje);
      if (h == null) errors[pk] = `Ingrese un número en el puntaje de la postulación ${ref(f.postulacionId)}, por ejemplo 38,5.`;
      else if (h > maximo) errors[pk] = `El puntaje de la postulación ${ref(f.postulacionId)} debe estar entre 0 y ${formatPuntaje(maximo)}.`;
      else cambios.push({ postulacionId: f.postulacionId, puntaje: h, observacion });
    }
    if (Object.keys(errors).length) throw puntajesInvalidos(errors);
    if (!cambios.length) throw new AppError("evaluacion.sin_puntajes", "No ingresó ningún puntaje.", { logCause: "nothing to save" });
    const previos = new Map(
      ev.puntajes.filter((p) => p.etapaId === etapa.id && p.evaluadorId === options.actorId).map((p) => [p.postulacionId, p]),
    );
    let guardados = 0;
    for (const c of cambios) {
      const prev = previos.get(c.postulacionId);
      if (prev && prev.puntaje === c.puntaje && prev.observacion === c.observacion) continue;
      await tx
        .insert(puntajes)
        .values({ etapaId: etapa.id, postulacionId: c.postulacionId, evaluadorId: options.actorId, puntaje: aNumeric(c.puntaje), observacion: c.observacion, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [puntajes.etapaId, puntajes.postulacionId, puntajes.evaluadorId],
          set: { puntaje: aNumeric(c.puntaje), observacion: c.observacion, updatedAt: now },
        });
      await auditar(tx, options.actorId, "evaluacion.puntaje_registrado", { type: "postulacion", id: c.postulacionId }, {
        etapaId: etapa.id,
        anterior: prev ? aNumeric(prev.puntaje) : null,
        nuevo: aNumeric(c.puntaje),
        observacionCambiada: (prev?.observacion ?? "") !== c.observacion,
      });
      guardados++;
    }
    return { guardados };
  });
}
