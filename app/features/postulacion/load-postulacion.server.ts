import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulaciones } from "~/db/schema";
import { isUuid } from "~/shared/ids";

/** One postulación by id (null for an unknown or malformed id); callers check canReadPostulacion. */
export async function loadPostulacion(db: Db, id: string) {
  if (!isUuid(id)) return null;
  const [row] = await db.select().from(postulaciones).where(eq(postulaciones.id, id));
  return row ?? null;
}
