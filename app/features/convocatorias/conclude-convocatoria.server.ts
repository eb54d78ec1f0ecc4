import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { loadConvocatoria, transition } from "./transiciones.server";

/** publicada → concluida, once the application window has closed. */
export async function concludeConvocatoria(options: { services: Services; actor: Actor; id: string }) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "publicada") throw new AppError("convocatoria.concluir_no_publicada", "Solo se concluye una convocatoria publicada.", { status: 409 });
  const now = services.clock.now();
  if (c.postulacionFin && now < c.postulacionFin) {
    throw new AppError("convocatoria.concluir_plazo_abierto", "No se puede concluir mientras el plazo de postulación sigue abierto.", {
      status: 409,
      field: "concluir",
    });
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "publicada", { estado: "concluida", closedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, "convocatoria.concluida", { type: "convocatoria", id }, { codigo: c.codigo });
  });
}
