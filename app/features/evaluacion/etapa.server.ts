import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { evaluacionEtapas } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { etapaNoEncontrada } from "./errors";

/**
 * A stage row by id, or the 404 refusal. With `lock`, the row is locked until the transaction
 * ends: scoring, closing and publishing a stage take this lock, so a score never lands in a
 * stage that was closed meanwhile.
 */
export async function etapaOr404(db: Db, etapaId: string, lock = false) {
  if (!isUuid(etapaId)) throw etapaNoEncontrada();
  const q = db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.id, etapaId));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw etapaNoEncontrada();
  return row;
}
