import { and, eq, max } from "drizzle-orm";
import { evaluacionConfig, evaluacionEtapas, puntajes } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import type { TipoEtapa } from "./calculo";
import { loadEtapas, ensureEvaluacion, NOMBRE_ETAPA } from "./load-evaluacion.server";
import { EvaluacionError } from "./errors";
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
    if (e.maximo <= 0 || e.maximo > 100_000) throw new EvaluacionError("El puntaje máximo debe ser mayor que 0 y a lo más 1000.", 422, `maximo_${e.tipo}`, "bad maximo");
    if (e.minimo < 0 || e.minimo > e.maximo) throw new EvaluacionError("El puntaje mínimo debe estar entre 0 y el máximo.", 422, `minimo_${e.tipo}`, "bad minimo");
    if (e.peso <= 0 || e.peso > 10_000) throw new EvaluacionError("El peso debe ser mayor que 0 % y a lo más 100 %.", 422, `peso_${e.tipo}`, "bad peso");
  }
  const tipos = options.etapas.map((e) => e.tipo);
  if (!tipos.includes("curricular") || !tipos.includes("entrevista") || new Set(tipos).size !== tipos.length)
    throw new EvaluacionError("La evaluación curricular y la entrevista personal son obligatorias.", 422, "form", "missing default stage");
  const suma = options.etapas.reduce((a, e) => a + e.peso, 0);
  if (suma !== 10_000)
    throw new EvaluacionError(`Los pesos deben sumar 100 %; ahora suman ${formatPuntaje(suma)} %.`, 422, "form", "weights do not add up");

  await db.transaction(async (tx) => {
    await ensureEvaluacion(tx, options.convocatoriaId);
    const actuales = await loadEtapas(tx, options.convocatoriaId);
    const cerrada = actuales.find((e) => e.estado !== "abierta");
    if (cerrada)
      throw new EvaluacionError(`La configuración ya no puede cambiar: ${cerrada.nombre} fue cerrada.`, 409, "form", "stage already closed");
    for (const e of actuales) {
      const nueva = options.etapas.find((x) => x.tipo === e.tipo);
      const [{ mayor } = { mayor: null }] = await tx.select({ mayor: max(puntajes.puntaje) }).from(puntajes).where(eq(puntajes.etapaId, e.id));
      if (!nueva) {
        if (mayor != null) throw new EvaluacionError(`${e.nombre} ya tiene puntajes registrados; no se puede quitar.`, 409, "form", "drop stage with scores");
        await tx.delete(evaluacionEtapas).where(eq(evaluacionEtapas.id, e.id));
      } else if (mayor != null && centesimos(mayor) > nueva.maximo) {
        throw new EvaluacionError(`Ya hay un puntaje de ${formatPuntaje(centesimos(mayor))} en ${e.nombre}; el máximo no puede ser menor.`, 409, `maximo_${e.tipo}`, "maximo below an existing score");
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
