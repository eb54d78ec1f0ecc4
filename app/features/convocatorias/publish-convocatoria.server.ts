import { eq } from "drizzle-orm";
import { convocatoriaDocumentos } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { loadConvocatoria, transition } from "./transiciones.server";

/**
 * borrador → publicada. A convocatoria cannot be published without its bases, an
 * application window that has not already ended, and at least one required document.
 */
export async function publishConvocatoria(options: { services: Services; actor: Actor; id: string }) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "borrador") throw new AppError("convocatoria.publicar_no_borrador", "Solo se publica una convocatoria en borrador.", { status: 409 });
  const now = services.clock.now();
  const faltan: string[] = [];
  if (!c.basesKey) faltan.push("las bases (PDF)");
  if (!c.postulacionInicio || !c.postulacionFin) faltan.push("el plazo de postulación en el cronograma");
  const docs = await services.db
    .select({ requerido: convocatoriaDocumentos.requerido })
    .from(convocatoriaDocumentos)
    .where(eq(convocatoriaDocumentos.convocatoriaId, id));
  if (!docs.some((d) => d.requerido)) faltan.push("los documentos que se exigen al postular");
  if (faltan.length) {
    throw new AppError("convocatoria.publicar_incompleta", `No se puede publicar: falta ${faltan.join(", ")}.`, {
      field: "publicar",
      logCause: "publish preconditions",
    });
  }
  if (c.postulacionFin! <= now) {
    throw new AppError("convocatoria.publicar_plazo_terminado", "No se puede publicar: el plazo de postulación ya terminó. Corrija el cronograma.", {
      field: "publicar",
      logCause: "window already over",
    });
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "borrador", { estado: "publicada", publishedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, "convocatoria.publicada", { type: "convocatoria", id }, { codigo: c.codigo });
  });
}
