import { and, eq, inArray, isNull } from "drizzle-orm";
import { etapaEvaluadores, staff } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import { AppError } from "~/shared/app-error";
import { assertEtapaDe, etapaOr404 } from "./etapa.server";

/** The gestor sets who scores a stage of the convocatoria (active evaluadores or gestores); only while it is open. */
export async function assignEvaluadores(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  convocatoriaId: string;
  etapaId: string;
  staffIds: string[];
}): Promise<void> {
  const { db, clock } = options.services;
  await assertEtapaDe(db, options.etapaId, options.convocatoriaId);
  const ids = [...new Set(options.staffIds)];
  await db.transaction(async (tx) => {
    const etapa = await etapaOr404(tx, options.etapaId);
    if (etapa.estado !== "abierta")
      throw new AppError("evaluacion.etapa_cerrada", `${etapa.nombre} ya fue cerrada; sus evaluadores no cambian.`, { status: 409, logCause: "stage closed" });
    const validos = ids.length
      ? await tx
          .select({ id: staff.id })
          .from(staff)
          .where(and(inArray(staff.id, ids), isNull(staff.disabledAt), inArray(staff.role, ["evaluador", "gestor"])))
      : [];
    if (validos.length !== ids.length)
      throw new AppError("evaluacion.evaluador_invalido", "Solo se puede asignar personal habilitado con rol de evaluador o gestor.", { field: "evaluadores", logCause: "invalid staff id" });
    const antes = (await tx.select({ id: etapaEvaluadores.staffId }).from(etapaEvaluadores).where(eq(etapaEvaluadores.etapaId, etapa.id))).map((r) => r.id);
    await tx.delete(etapaEvaluadores).where(eq(etapaEvaluadores.etapaId, etapa.id));
    if (ids.length)
      await tx.insert(etapaEvaluadores).values(ids.map((staffId) => ({ etapaId: etapa.id, staffId, assignedBy: options.actorId, assignedAt: clock.now() })));
    await auditar(tx, options.actorId, "evaluacion.evaluadores_asignados", { type: "evaluacion_etapa", id: etapa.id }, { antes, despues: ids });
  });
}
