import { and, desc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { auditLog, staff } from "~/db/schema";

/** The convocatoria's audit trail for the HR page: who, when, what. */
export async function historialConvocatoria(db: Db, id: string) {
  const rows = await db
    .select({ at: auditLog.at, event: auditLog.event, details: auditLog.details, nombre: staff.nombre })
    .from(auditLog)
    .leftJoin(staff, eq(staff.id, auditLog.actorId))
    .where(and(eq(auditLog.entityType, "convocatoria"), eq(auditLog.entityId, id)))
    .orderBy(desc(auditLog.id))
    .limit(100);
  return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
}

export const EVENTO_LABEL: Record<string, string> = {
  "convocatoria.creada": "Creada como borrador",
  "convocatoria.actualizada": "Modificada",
  "convocatoria.publicada": "Publicada",
  "convocatoria.ventana_ampliada": "Plazo de postulación ampliado",
  "convocatoria.cancelada": "Cancelada",
  "convocatoria.desierta": "Declarada desierta",
  "convocatoria.concluida": "Concluida",
};
