import type { Db } from "~/db/client.server";
import { auditLog } from "~/db/schema";

/**
 * Business events, one row each, written in the same transaction as the change.
 * Details name fields and ids, never document numbers, e-mails or passwords.
 */
export type AuditEvent =
  /** A postulante created an account. */
  | "postulante.registrado"
  /** A postulante verified an e-mail address. */
  | "postulante.email_verificado"
  /** A postulante asked for a new verification e-mail ("Reenviar" in Mi Perfil). */
  | "postulante.verificacion_reenviada"
  /** Mi Perfil saved; details.fields lists which fields changed. */
  | "postulante.perfil_actualizado"
  /** Password changed from Mi Perfil. */
  | "postulante.password_cambiado"
  /** Password reset through an e-mailed link; the other sessions ended. */
  | "postulante.password_restablecido"
  /** Someone asked for a password-reset link for this account (a token was created and mailed). */
  | "postulante.restablecimiento_solicitado"
  /** Someone tried to register with this account's document or e-mail; its owner was mailed (issue 11). */
  | "postulante.registro_repetido"
  /** The old address undid an e-mail change through its e-mailed link; every session ended (issue 11). */
  | "postulante.cambio_email_deshecho"
  /** Staff account created by an administrator. */
  | "staff.creado"
  /** Staff account's role or name changed. */
  | "staff.actualizado"
  /** Staff account disabled (its sessions ended). */
  | "staff.deshabilitado"
  /** Staff account enabled again. */
  | "staff.habilitado"
  /** The first administrator, created from ADMIN_EMAIL at start. */
  | "staff.admin_inicial"
  /** Convocatoria created as borrador; details.codigo. */
  | "convocatoria.creada"
  /** Convocatoria edited; details.fields lists what changed (bases: details.basesSha256). */
  | "convocatoria.actualizada"
  /** Borrador published; the public sees it from now on. */
  | "convocatoria.publicada"
  /** Application window extended; details: finAnterior, finNuevo, motivo. */
  | "convocatoria.ventana_ampliada"
  /** Declared cancelada; details.motivo. */
  | "convocatoria.cancelada"
  /** Declared desierta; details.motivo. */
  | "convocatoria.desierta"
  /** Process concluded. */
  | "convocatoria.concluida"
  /** Borrador deleted; details.codigo. */
  | "convocatoria.eliminada"
  /** Declaración jurada format uploaded; details: titulo, filename, sha256. */
  | "dj_formato.cargado"
  /** Format file replaced by a new version; details: filename, sha256. */
  | "dj_formato.reemplazado"
  /** Format moved up or down the list; details.direccion. */
  | "dj_formato.reordenado"
  /** Format retired from the public list. */
  | "dj_formato.retirado"
  /** A document type added to the catalogue; details: codigo, nombre, maxBytes, requeridoPorDefecto. */
  | "tipo_documento.creado"
  /** A document type's name, size limit or default changed; details: codigo, antes, despues. */
  | "tipo_documento.actualizado"
  /** A document type moved up or down the catalogue; details: codigo, direccion. */
  | "tipo_documento.reordenado"
  /** A document type retired: no longer offered to new convocatorias; details.codigo. */
  | "tipo_documento.retirado"
  /** A retired document type offered again; details.codigo. */
  | "tipo_documento.reactivado"
  /** "POSTULAR": a draft postulación created; details.convocatoriaId. */
  | "postulacion.iniciada"
  /**
   * A file added to a type of a postulación: "CARGAR", or "Usar un documento guardado"
   * (`reutilizado`: no new bytes); details: tipo, documentoId, archivoId, sha256, size, pages,
   * reutilizado (rows from before issue 17: reemplazo).
   */
  | "documento.cargado"
  /** A file removed from a postulación ("Eliminar"; it stays in Mis documentos); details: tipo, archivoId, sha256. */
  | "documento.eliminado"
  /** A file moved up or down among its type's files ("Subir"/"Bajar"); details: tipo, documentoId, direccion. */
  | "documento.reordenado"
  /** A file deleted from Mis documentos by its owner; details: sha256, filename, postulaciones (drafts it was removed from). */
  | "archivo.eliminado"
  /** The retention notice queued (Ley 29733): files used by no postulación and untouched; details: archivos (ids), eliminacionDesde. */
  | "archivo.aviso_retencion"
  /** Files deleted by the retention sweep after their notice; details: archivos (ids and SHA-256). */
  | "archivo.eliminado_por_retencion"
  /** The "CONFIRMAR DOCUMENTO CARGADO" boxes saved; details: confirmados, desmarcados (tipos). */
  | "documento.confirmaciones"
  /** The Ficha de Postulación built and stored; details: version, sha256, pages. */
  | "postulacion.ficha_generada"
  /** Finalized ("Aceptar", seed 2.1.5): registrada with its number; details: numero, documentosVersion. */
  | "postulacion.registrada"
  /** "Desistir de la postulación" (issue 17): registrada → desistida; details: numero, conMotivo (the reason itself is in the row). */
  | "postulacion.desistida"
  /** "Guardar sustento" (issue 17): the Sustento de requisitos del perfil replaced; details: requisitos, evidencias (count), documentosVersion. */
  | "postulacion.sustento_guardado"
  // ---- evaluación, review and the staff second factor (issue 5; app/features/evaluacion/auditoria.server.ts)
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
  /** A prepared export downloaded (the fichas ZIP); details: formato, exportacion (the job id). */
  | "postulaciones.exportacion_descargada"
  /** A staff member enrolled a TOTP authenticator (recovery codes issued). */
  | "staff.segundo_factor_activado"
  /** A staff member used a recovery code. */
  | "staff.codigo_recuperacion_usado"
  /** An administrador exported the audit log (CSV); details: the filters used, filas. */
  | "auditoria.exportada"
  /** An alert saved (docs/convocatorias.md, "Alertas"); details: porConfirmar (waits for its double opt-in link). No address. */
  | "alerta.creada"
  /** An alert's double opt-in link used: it is active. */
  | "alerta.confirmada"
  /** An alert deleted; details: via ("enlace": the e-mail's unsubscribe link, one click or the page; "perfil": its applicant). */
  | "alerta.cancelada"
  /** "Datos de la entidad" saved (administrador); details: fields (names only), logoSha256 and logoSize of a new logo. */
  | "entidad.actualizada";

export type Actor = { type: "postulante" | "staff" | "system"; id: string | null };

export async function audit(
  db: Db,
  actor: Actor,
  event: AuditEvent,
  entity: { type: string; id: string | null },
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.insert(auditLog).values({
    actorType: actor.type,
    actorId: actor.id,
    event,
    entityType: entity.type,
    entityId: entity.id,
    details,
  });
}
