import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { ConvocatoriaError } from "./errors";
import { loadConvocatoria, transition } from "./transiciones.server";

/** publicada → concluida, once the application window has closed. */
export async function concludeConvocatoria(options: { services: Services; actor: Actor; id: string }) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "publicada") throw new ConvocatoriaError("Solo se concluye una convocatoria publicada.", "form", 409);
  const now = services.clock.now();
  if (c.postulacionFin && now < c.postulacionFin) {
    throw new ConvocatoriaError("No se puede concluir mientras el plazo de postulación sigue abierto.", "concluir", 409);
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "publicada", { estado: "concluida", closedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, "convocatoria.concluida", { type: "convocatoria", id }, { codigo: c.codigo });
  });
}
