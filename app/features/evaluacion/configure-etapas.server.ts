import { and, eq, max } from "drizzle-orm";
import { evaluacionConfig, evaluacionEtapas, puntajes } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import type { TipoEtapa } from "./calculo";
import { loadEtapas, ensureEvaluacion, NOMBRE_ETAPA } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { configuracionCerrada } from "./errors";
import { aNumeric, centesimos, formatPuntaje } from "./numeros";

const ORDEN: Record<TipoEtapa, number> = { curricular: 1, tecnica: 2, entrevista: 3 };

export type EtapaConfig = { tipo: TipoEtapa; peso: number; maximo: number; minimo: number };

/**
 * The gestor sets each stage's weight, maximum and minimum (hundredths), includes or drops the
 * optional evaluación técnica, and the convocatoria's settings (bonificaciones add up or not;
 * names or masked document numbers in published lists). Weights must add up to 100 %.
 * Nothing can change once a stage has been closed.
 */
export async function configureEtapas(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  convocatoriaId: string;
  etapas: EtapaConfig[];
  bonificacionesAcumulables: boolean;
  publicarComo: "nombres" | "documento_enmascarado";
}): Promise<void> {
  const { db, clock } = options.services;
  const now = clock.now();
  for (const e of options.etapas) {
    if (e.maximo <= 0 || e.maximo > 100_000) throw new AppError("evaluacion.maximo_invalido", "El puntaje máximo debe ser mayor que 0 y a lo más 1000.", { field: `maximo_${e.tipo}`, logCause: "bad maximo" });
    if (e.minimo < 0 || e.minimo > e.maximo) throw new AppError("evaluacion.minimo_invalido", "El puntaje mínimo debe estar entre 0 y el máximo.", { field: `minimo_${e.tipo}`, logCause: "bad minimo" });
    if (e.peso <= 0 || e.peso > 10_000) throw new AppError("evaluacion.peso_invalido", "El peso debe ser mayor que 0 % y a lo más 100 %.", { field: `peso_${e.tipo}`, logCause: "bad peso" });
  }
  const tipos = options.etapas.map((e) => e.tipo);
  if (!tipos.includes("curricular") || !tipos.includes("entrevista") || new Set(tipos).size !== tipos.length)
    throw new AppError("evaluacion.etapas_obligatorias", "La evaluación curricular y la entrevista personal son obligatorias.", { logCause: "missing default stage" });
  const suma = options.etapas.reduce((a, e) => a + e.peso, 0);
  if (suma !== 10_000)
    throw new AppError("evaluacion.pesos_no_suman_100", `Los pesos deben sumar 100 %; ahora suman ${formatPuntaje(suma)} %.`, { logCause: "weights do not add up" });

  await db.transaction(async (tx) => {
    await ensureEvaluacion(tx, options.convocatoriaId);
    const actuales = await loadEtapas(tx, options.convocatoriaId);
    const cerrada = actuales.find((e) => e.estado !== "abierta");
    if (cerrada) throw configuracionCerrada(cerrada.nombre);
    for (const e of actuales) {
      const nueva = options.etapas.find((x) => x.tipo === e.tipo);
      const [{ mayor } = { mayor: null }] = await tx.select({ mayor: max(puntajes.puntaje) }).from(puntajes).where(eq(puntajes.etapaId, e.id));
      if (!nueva) {
        if (mayor != null) throw new AppError("evaluacion.etapa_con_puntajes", `${e.nombre} ya tiene puntajes registrados; no se puede quitar.`, { status: 409, logCause: "drop stage with scores" });
        await tx.delete(evaluacionEtapas).where(eq(evaluacionEtapas.id, e.id));
      } else if (mayor != null && centesimos(mayor) > nueva.maximo) {
        throw new AppError("evaluacion.maximo_bajo_puntaje", `Ya hay un puntaje de ${formatPuntaje(centesimos(mayor))} en ${e.nombre}; el máximo no puede ser menor.`, { status: 409, field: `maximo_${e.tipo}`, logCause: "maximo below an existing score" });
      }
    }
    for (const e of options.etapas) {
      const values = { orden: ORDEN[e.tipo], peso: aNumeric(e.peso), maximo: aNumeric(e.maximo), minimo: aNumeric(e.minimo), updatedAt: now };
      const existe = actuales.find((x) => x.tipo === e.tipo);
      if (existe) await tx.update(evaluacionEtapas).set(values).where(and(eq(evaluacionEtapas.id, existe.id)));
      else await tx.insert(evaluacionEtapas).values({ ...values, convocatoriaId: options.convocatoriaId, tipo: e.tipo, orden: ORDEN[e.tipo], nombre: NOMBRE_ETAPA[e.tipo] });
    }
    await tx
      .update(evaluacionConfig)
      .set({ bonificacionesAcumulables: options.bonificacionesAcumulables, publicarComo: options.publicarComo, updatedAt: now })
      .where(eq(evaluacionConfig.convocatoriaId, options.convocatoriaId));
    await auditar(tx, options.actorId, "evaluacion.configurada", { type: "convocatoria", id: options.convocatoriaId }, {
      antes: actuales.map((e) => ({ tipo: e.tipo, peso: e.row.peso, maximo: e.row.maximo, minimo: e.row.minimo })),
      despues: options.etapas.map((e) => ({ tipo: e.tipo, peso: aNumeric(e.peso), maximo: aNumeric(e.maximo), minimo: aNumeric(e.minimo) })),
      bonificacionesAcumulables: options.bonificacionesAcumulables,
      publicarComo: options.publicarComo,
    });
  });
}
