import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulaciones } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante, type ConvocatoriaParaPostulante } from "./ventana.server";

export type Postulacion = typeof postulaciones.$inferSelect;

/**
 * "POSTULAR" (seed 2.1.3): the applicant's postulación to this convocatoria, created as a
 * draft (en_registro) the first time. The unique index (postulante, convocatoria) is the
 * arbiter: INSERT … ON CONFLICT DO NOTHING, then SELECT, so any number of concurrent
 * calls yield one row. An existing postulación (draft or registrada) is returned whatever
 * the window; a new one only while the window is open by the server's clock.
 */
export async function startPostulacion(options: {
  db: Db;
  postulanteId: string;
  convocatoriaId: string;
  now: Date;
  /** The convocatoria as loadConvocatoriaParaPostulante gave it, when the caller has it already. */
  loaded?: ConvocatoriaParaPostulante;
}): Promise<{ postulacion: Postulacion; created: boolean }> {
  const { db, postulanteId, convocatoriaId, now } = options;
  const { convocatoria } = options.loaded ?? (await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId));
  const existing = await findPostulacion(db, postulanteId, convocatoriaId);
  if (existing) return { postulacion: existing, created: false };
  assertVentanaAbierta(convocatoria, now);
  const created = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(postulaciones)
      .values({ postulanteId, convocatoriaId })
      .onConflictDoNothing({ target: [postulaciones.postulanteId, postulaciones.convocatoriaId] })
      .returning();
    if (row) {
      await audit(tx, { type: "postulante", id: postulanteId }, "postulacion.iniciada", { type: "postulacion", id: row.id }, {
        convocatoriaId,
      });
    }
    return row;
  });
  if (created) return { postulacion: created, created: true };
  const row = await findPostulacion(db, postulanteId, convocatoriaId);
  if (!row) throw new Error("postulación vanished after a conflicting insert");
  return { postulacion: row, created: false };
}

export async function findPostulacion(db: Db, postulanteId: string, convocatoriaId: string) {
  const [row] = await db
    .select()
    .from(postulaciones)
    .where(and(eq(postulaciones.postulanteId, postulanteId), eq(postulaciones.convocatoriaId, convocatoriaId)));
  return row;
}
