import type { Db } from "~/db/client.server";
import { audit, type AuditEvent } from "~/platform/audit.server";

/**
 * The audit events of evaluation, review and the staff second factor (issue 5). Kept as a
 * union here and handed to audit(); the names are listed in docs/evaluacion.md.
 */
export type EvaluacionAuditEvent =
  /** Stages' weights, maxima, minima (or the técnica stage, or the settings) changed; details: before/after. */
  | "evaluacion.configurada"
  /** Evaluadores of a stage set; details: antes, despues (staff ids). */
  | "evaluacion.evaluadores_asignados"
  /** An evaluador entered or changed a score; details: etapaId, postulacionId, anterior, nuevo. */
  | "evaluacion.puntaje_registrado"
  /** A gestor corrected a score; details: etapaId, postulacionId, evaluadorId, anterior, nuevo, motivo. */
  | "evaluacion.puntaje_corregido"
  /** A stage closed (no more scoring by evaluadores). */
  | "evaluacion.etapa_cerrada"
  /** A bonificación validated or refused; details: tipo, nivel, validada. */
  | "evaluacion.bonificacion_validada"
  /** The committee recorded how a tie was broken; details: puntaje, orden, nota. */
  | "evaluacion.desempate_registrado"
  /** A results list published; details: alcance, version, motivo, filas. */
  | "evaluacion.resultados_publicados"
  /** A staff member opened an expediente. */
  | "expediente.visto"
  /** A staff member opened a file of an expediente; details: tipo (documento, ficha, constancia). */
  | "documento.visto"
  /** The postulaciones of a convocatoria exported; details: formato (xlsx, zip). */
  | "postulaciones.exportadas"
  /** A staff member enrolled a TOTP authenticator (recovery codes issued). */
  | "staff.segundo_factor_activado"
  /** A staff member used a recovery code. */
  | "staff.codigo_recuperacion_usado";

export function auditar(
  db: Db,
  actorId: string,
  event: EvaluacionAuditEvent,
  entity: { type: string; id: string | null },
  details: Record<string, unknown> = {},
) {
  return audit(db, { type: "staff", id: actorId }, event as string as AuditEvent, entity, details);
}
