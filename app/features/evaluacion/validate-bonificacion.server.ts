import { and, eq } from "drizzle-orm";
import { bonificaciones, documentos, postulaciones, publicaciones } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { auditar } from "./auditoria.server";
import type { TipoBonificacion } from "./calculo";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import { resultadoFinalPublicado } from "./errors";
import { SUSTENTO_BONIFICACION } from "./etiquetas";


/**
 * The gestor validates (or refuses) a claimed bonificación against its uploaded sustento;
 * a Deportista's level (1 to 5) is set here. Only for a postulación of the convocatoria whose
 * evaluation page the gestor is on; not after the final results are published.
 */
export async function validateBonificacion(options: {
  services: Pick<Services, "db" | "clock">;
  actorId: string;
  convocatoriaId: string;
  postulacionId: string;
  tipo: TipoBonificacion;
  validada: boolean;
  nivel: number | null;
  observacion: string;
}) {
  const { db, clock } = options.services;
  if (!isUuid(options.postulacionId)) throw new AppError("evaluacion.postulacion_no_encontrada", "No encontramos la postulación.", { status: 404, logCause: "bad id" });
  const de = await db.query.postulaciones.findFirst({ where: eq(postulaciones.id, options.postulacionId), columns: { convocatoriaId: true } });
  if (!de || de.convocatoriaId !== options.convocatoriaId)
    throw new AppError("evaluacion.postulacion_no_encontrada", "No encontramos la postulación.", { status: 404, logCause: "postulación of another convocatoria" });
  const nivel = options.tipo === "deportista" ? options.nivel : null;
  if (options.tipo === "deportista" && options.validada && (nivel == null || nivel < 1 || nivel > 5))
    throw new AppError("evaluacion.nivel_requerido", "Elija el nivel del deportista (1 a 5).", { field: "nivel", logCause: "missing level" });
  await db.transaction(async (tx) => {
    const p = await tx.query.postulaciones.findFirst({ where: eq(postulaciones.id, options.postulacionId) });
    if (!p || p.estado !== "registrada") throw new AppError("evaluacion.postulacion_no_encontrada", "No encontramos la postulación.", { status: 404, logCause: "not found" });
    const sustento = await tx.query.documentos.findFirst({
      where: and(eq(documentos.postulacionId, p.id), eq(documentos.tipo, SUSTENTO_BONIFICACION[options.tipo])),
    });
    if (!sustento) throw new AppError("evaluacion.sin_sustento", "La postulación no presentó el sustento de esa bonificación.", { field: "tipo", logCause: "no sustento" });
    const final = await tx.query.publicaciones.findFirst({
      where: and(eq(publicaciones.convocatoriaId, p.convocatoriaId), eq(publicaciones.alcance, "final")),
    });
    if (final) throw resultadoFinalPublicado();
    const values = {
      nivel: options.validada ? nivel : options.tipo === "deportista" ? (nivel ?? 1) : null,
      validada: options.validada,
      observacion: options.observacion.trim().slice(0, 1000),
      validadaPor: options.actorId,
      validadaAt: clock.now(),
    };
    await tx
      .insert(bonificaciones)
      .values({ postulacionId: p.id, tipo: options.tipo, ...values })
      .onConflictDoUpdate({ target: [bonificaciones.postulacionId, bonificaciones.tipo], set: values });
    await auditar(tx, options.actorId, "evaluacion.bonificacion_validada", { type: "postulacion", id: p.id }, {
      tipo: options.tipo,
      nivel: values.nivel,
      validada: options.validada,
    });
  });
}
