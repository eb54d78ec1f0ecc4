import type { Services } from "~/platform/services.server";
import { etapaOr404 } from "./etapa.server";
import { AppError } from "~/shared/app-error";
import { publicarEnTx } from "./publicar.server";

/**
 * The gestor publishes a stage's results (closing the stage when it is complete) or the
 * final results. A list already published is published again as a new version, with a reason.
 * Each applicant in the list gets an e-mail (outbox) once the transaction commits.
 */
export async function publishResultados(options: {
  services: Pick<Services, "db" | "clock" | "storage" | "config" | "mailWorker">;
  actorId: string;
  convocatoriaId: string;
  alcance: { etapaId: string } | "final";
  motivo: string | null;
  /** The committee's acta (or other reference), printed in the PDF; optional. */
  referenciaActa?: string | null;
}) {
  const { db } = options.services;
  const result = await db.transaction(async (tx) => {
    if (options.alcance !== "final") {
      const etapa = await etapaOr404(tx, options.alcance.etapaId, true);
      if (etapa.convocatoriaId !== options.convocatoriaId) throw new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa.", { status: 404, logCause: "stage of another convocatoria" });
    }
    return publicarEnTx(tx, options.services, options);
  });
  options.services.mailWorker.kick();
  return result;
}
