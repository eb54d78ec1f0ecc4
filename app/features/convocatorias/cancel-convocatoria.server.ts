import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
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
    throw new AppError(
      "convocatoria.cancelar_no_permitido",
      c.estado === "borrador"
        ? "Una convocatoria en borrador no se cancela: elimínela."
        : "La convocatoria ya terminó.",
      { status: 409 },
    );
  }
  const now = services.clock.now();
  if (estado === "desierta" && c.postulacionFin && now < c.postulacionFin) {
    throw new AppError("convocatoria.desierta_plazo_abierto", "Solo se declara desierta después del plazo de postulación.", {
      status: 409,
      field: "motivoDesierta",
    });
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "publicada", { estado, motivo, closedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, estado === "cancelada" ? "convocatoria.cancelada" : "convocatoria.desierta", {
      type: "convocatoria",
      id,
    }, { motivo });
  });
}
