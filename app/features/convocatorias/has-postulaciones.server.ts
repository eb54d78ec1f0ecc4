import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulaciones } from "~/db/schema";

/**
 * Whether anyone has applied to the convocatoria (a draft counts): once someone has, its
 * document requirements cannot change.
 */
export async function hasPostulaciones(db: Db, convocatoriaId: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(postulaciones)
    .where(eq(postulaciones.convocatoriaId, convocatoriaId))
    .limit(1);
  return Boolean(row);
}
