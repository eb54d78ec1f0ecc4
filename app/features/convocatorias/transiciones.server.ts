import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias } from "~/db/schema";
import { cambioDeEstado, convocatoriaNoExiste } from "./errors";

/** Reads the convocatoria or throws 404. */
export async function loadConvocatoria(db: Db, id: string) {
  const row = await db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) });
  if (!row) throw convocatoriaNoExiste();
  return row;
}

/**
 * A state change as a conditional update (ARCHITECTURE.md): it applies only when the row is
 * still in the expected state, so two staff members clicking at once cannot both win.
 */
export async function transition(
  tx: Db,
  id: string,
  from: "borrador" | "publicada",
  set: Partial<typeof convocatorias.$inferInsert>,
  extra?: SQL,
) {
  const rows = await tx
    .update(convocatorias)
    .set(set)
    .where(and(eq(convocatorias.id, id), eq(convocatorias.estado, from), extra ?? sql`true`))
    .returning({ id: convocatorias.id });
  if (!rows.length) throw cambioDeEstado();
}
