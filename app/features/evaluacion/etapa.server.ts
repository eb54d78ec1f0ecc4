import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { evaluacionEtapas } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { AppError } from "~/shared/app-error";
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

/**
 * Refuses (404) a stage that is not of this convocatoria: the gestor acts on a stage from its
 * convocatoria's evaluation page, whose address names the convocatoria.
 */
export async function assertEtapaDe(db: Db, etapaId: string, convocatoriaId: string): Promise<void> {
  const row = isUuid(etapaId) ? await db.query.evaluacionEtapas.findFirst({ where: (t, { eq: e }) => e(t.id, etapaId) }) : undefined;
  if (!row || row.convocatoriaId !== convocatoriaId) throw new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa de evaluación.", { status: 404, logCause: "stage of another convocatoria" });
}
