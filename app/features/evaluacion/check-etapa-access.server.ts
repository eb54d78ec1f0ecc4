import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { etapaEvaluadores } from "~/db/schema";
import { can, type StaffRole } from "~/shared/permissions";
import { etapaOr404 } from "./etapa.server";

/**
 * Who may open a stage's page (issue 5): an evaluador assigned to it (to score), or the HR
 * office (`review:postulacion`, to see every score and correct one). `permitido` is false for
 * anyone else; an unknown stage is etapaOr404's 404 refusal.
 */
export async function checkEtapaAccess(db: Db, etapaId: string, actor: { id: string; role: StaffRole }) {
  const etapa = await etapaOr404(db, etapaId);
  const asignado = !!(await db.query.etapaEvaluadores.findFirst({
    where: and(eq(etapaEvaluadores.etapaId, etapa.id), eq(etapaEvaluadores.staffId, actor.id)),
  }));
  const gestiona = can(actor.role, "review:postulacion");
  return { etapa, asignado, gestiona, permitido: asignado || gestiona };
}

export type EtapaAccess = Awaited<ReturnType<typeof checkEtapaAccess>>;
