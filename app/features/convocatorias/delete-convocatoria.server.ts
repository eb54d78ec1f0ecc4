import { and, eq } from "drizzle-orm";
import { convocatorias } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { cambioDeEstado } from "./errors";
import { loadConvocatoria } from "./transiciones.server";

/** Only a borrador can be deleted (nobody outside the office has seen it). */
export async function deleteConvocatoria(options: { services: Services; actor: Actor; id: string }) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "borrador") {
    throw new AppError("convocatoria.eliminar_no_borrador", "Solo se puede eliminar una convocatoria en borrador.", { status: 409 });
  }
  await services.db.transaction(async (tx) => {
    const rows = await tx
      .delete(convocatorias)
      .where(and(eq(convocatorias.id, id), eq(convocatorias.estado, "borrador")))
      .returning({ id: convocatorias.id });
    if (!rows.length) throw cambioDeEstado();
    await audit(tx, actor, "convocatoria.eliminada", { type: "convocatoria", id }, { codigo: c.codigo });
  });
  if (c.basesKey) await services.storage.delete(c.basesKey).catch(() => {});
}
