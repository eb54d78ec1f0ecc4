import type { AuditEvent } from "~/platform/audit.server";

/**
 * Every audit event in plain Spanish, for the audit-log viewer and its CSV. A Record over the
 * AuditEvent union: a new event does not compile until it has its words here.
 */
export const EVENTO_LABEL: Record<AuditEvent, string> = {
  "postulante.registrado": "Creó su cuenta de postulante",
  "postulante.email_verificado": "Verificó su correo electrónico",
  "postulante.verificacion_reenviada": "Pidió otro correo de verificación",
  "postulante.perfil_actualizado": "Actualizó sus datos de contacto (Mi Perfil)",
  "postulante.password_cambiado": "Cambió su contraseña",
  "postulante.password_restablecido": "Restableció su contraseña con el enlace del correo",
  "postulante.restablecimiento_solicitado": "Se pidió un enlace para restablecer la contraseña",
  "postulante.registro_repetido": "Alguien intentó registrarse con su documento o correo",
  "postulante.cambio_email_deshecho": "Deshizo un cambio de correo desde la dirección anterior",
  "staff.creado": "Creó una cuenta del personal",
  "staff.actualizado": "Cambió el rol o el nombre de una cuenta del personal",
  "staff.deshabilitado": "Deshabilitó una cuenta del personal",
  "staff.habilitado": "Habilitó una cuenta del personal",
  "staff.admin_inicial": "Se creó el primer administrador",
  "convocatoria.creada": "Creó la convocatoria como borrador",
  "convocatoria.actualizada": "Modificó la convocatoria",
  "convocatoria.publicada": "Publicó la convocatoria",
  "convocatoria.ventana_ampliada": "Amplió el plazo de postulación",
  "convocatoria.cancelada": "Canceló la convocatoria",
  "convocatoria.desierta": "Declaró desierta la convocatoria",
  "convocatoria.concluida": "Concluyó el proceso",
  "convocatoria.eliminada": "Eliminó un borrador de convocatoria",
  "dj_formato.cargado": "Cargó un formato de Declaración Jurada",
  "dj_formato.reemplazado": "Reemplazó un formato de Declaración Jurada",
  "dj_formato.reordenado": "Cambió el orden de los formatos de Declaración Jurada",
  "dj_formato.retirado": "Retiró un formato de Declaración Jurada",
  "tipo_documento.creado": "Agregó un tipo de documento al catálogo",
  "tipo_documento.actualizado": "Modificó un tipo de documento del catálogo",
  "tipo_documento.reordenado": "Cambió el orden de los tipos de documento",
  "tipo_documento.retirado": "Retiró un tipo de documento del catálogo",
  "tipo_documento.reactivado": "Reactivó un tipo de documento del catálogo",
  "postulacion.iniciada": "Inició una postulación (POSTULAR)",
  "documento.cargado": "Cargó un documento",
  "documento.eliminado": "Quitó un documento de su postulación",
  "documento.reordenado": "Cambió el orden de sus documentos",
  "archivo.eliminado": "Eliminó un documento de Mis documentos",
  "archivo.aviso_retencion": "Aviso de eliminación de documentos no usados (Ley 29733)",
  "archivo.eliminado_por_retencion": "Documentos no usados eliminados (Ley 29733)",
  "documento.confirmaciones": "Confirmó documentos cargados",
  "postulacion.ficha_generada": "Se generó la Ficha de Postulación",
  "postulacion.registrada": "Registró (finalizó) la postulación",
  "evaluacion.configurada": "Configuró las etapas de evaluación",
  "evaluacion.evaluadores_asignados": "Asignó evaluadores a una etapa",
  "evaluacion.puntaje_registrado": "Registró un puntaje",
  "evaluacion.puntaje_corregido": "Corrigió un puntaje",
  "evaluacion.etapa_cerrada": "Cerró una etapa de evaluación",
  "evaluacion.bonificacion_validada": "Validó o rechazó una bonificación",
  "evaluacion.desempate_registrado": "Registró cómo se resolvió un empate",
  "evaluacion.resultados_publicados": "Publicó resultados",
  "expediente.visto": "Vio el expediente",
  "documento.visto": "Abrió un archivo del expediente",
  "postulaciones.exportadas": "Exportó las postulaciones",
  "postulaciones.exportacion_descargada": "Descargó el ZIP de fichas",
  "staff.segundo_factor_activado": "Activó el segundo factor de autenticación",
  "staff.codigo_recuperacion_usado": "Usó un código de recuperación",
  "auditoria.exportada": "Exportó el registro de auditoría",
  "entidad.actualizada": "Actualizó los datos de la entidad",
};

export const EVENTOS = Object.keys(EVENTO_LABEL) as AuditEvent[];

export function eventoLabel(event: string): string {
  return (EVENTO_LABEL as Record<string, string>)[event] ?? event;
}
