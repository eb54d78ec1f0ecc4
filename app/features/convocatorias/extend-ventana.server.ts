import { and, eq, gt } from "drizzle-orm";
import { cronogramaEtapas } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { formatLima, limaToDate } from "~/shared/lima";
import { loadConvocatoria, transition } from "./transiciones.server";

/**
 * Extends a published convocatoria's application window: the new end is later than the
 * current one, does not run into the next stage, and the reason is logged.
 */
export async function extendVentana(options: {
  services: Services;
  actor: Actor;
  id: string;
  finFecha: string;
  finHora: string;
  motivo: string;
}) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "publicada" || !c.postulacionFin) {
    throw new AppError("convocatoria.ampliar_no_publicada", "Solo se amplía el plazo de una convocatoria publicada.", { status: 409 });
  }
  const nuevoFin = limaToDate(options.finFecha, options.finHora || "23:59");
  if (!nuevoFin) throw new AppError("convocatoria.fecha_invalida", "Ingrese una fecha y hora válidas.", { field: "ampliarFinFecha" });
  if (nuevoFin <= c.postulacionFin) {
    throw new AppError(
      "convocatoria.ampliar_fecha_no_posterior",
      `La nueva fecha de cierre debe ser posterior a la actual (${formatLima(c.postulacionFin)}).`,
      { field: "ampliarFinFecha" },
    );
  }
  const etapa = await services.db.query.cronogramaEtapas.findFirst({
    where: and(eq(cronogramaEtapas.convocatoriaId, id), eq(cronogramaEtapas.esPostulacion, true)),
  });
  const siguiente = etapa
    ? await services.db.query.cronogramaEtapas.findFirst({
        where: and(eq(cronogramaEtapas.convocatoriaId, id), gt(cronogramaEtapas.orden, etapa.orden)),
        orderBy: cronogramaEtapas.orden,
      })
    : undefined;
  if (siguiente && nuevoFin > siguiente.inicio) {
    throw new AppError(
      "convocatoria.ampliar_superpone_etapa",
      `La nueva fecha se superpone con «${siguiente.nombre}» (desde ${formatLima(siguiente.inicio)}). Ajuste primero esa etapa del cronograma.`,
      { field: "ampliarFinFecha" },
    );
  }
  const now = services.clock.now();
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "publicada", { postulacionFin: nuevoFin, updatedAt: now, updatedBy: actor.id });
    if (etapa) {
      await tx
        .update(cronogramaEtapas)
        .set({ fin: nuevoFin })
        .where(and(eq(cronogramaEtapas.convocatoriaId, id), eq(cronogramaEtapas.orden, etapa.orden)));
    }
    await audit(tx, actor, "convocatoria.ventana_ampliada", { type: "convocatoria", id }, {
      finAnterior: c.postulacionFin!.toISOString(),
      finNuevo: nuevoFin.toISOString(),
      motivo: options.motivo,
    });
  });
}
