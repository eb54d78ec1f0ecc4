import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { ConvocatoriaError } from "./errors";
import { loadConvocatoria, transition } from "./transiciones.server";

/**
 * publicada → cancelada (the entity stops the process, at any time) or desierta (no one
 * qualified: only after the application window has closed). The reason is public.
 */
export async function cancelConvocatoria(options: {
  services: Services;
  actor: Actor;
  id: string;
  estado: "cancelada" | "desierta";
  motivo: string;
}) {
  const { services, actor, id, estado, motivo } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "publicada") {
    throw new ConvocatoriaError(
      c.estado === "borrador"
        ? "Una convocatoria en borrador no se cancela: elimínela."
        : "La convocatoria ya terminó.",
      "form",
      409,
    );
  }
  const now = services.clock.now();
  if (estado === "desierta" && c.postulacionFin && now < c.postulacionFin) {
    throw new ConvocatoriaError(
      "Solo se declara desierta después del plazo de postulación.",
      "motivoDesierta",
      409,
    );
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "publicada", { estado, motivo, closedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, estado === "cancelada" ? "convocatoria.cancelada" : "convocatoria.desierta", {
      type: "convocatoria",
      id,
    }, { motivo });
  });
}
