import { and, asc, eq, inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos as archivosTabla, auditLog, convocatoriaDocumentos, documentos, evaluacionEtapas, postulaciones, staff } from "~/db/schema";
import { staffRoleLabel } from "~/features/accounts/staff.schema";
import { eventoLabel } from "~/features/auditoria/eventos";
import { formatLima } from "~/shared/lima";
import { BONIFICACION_LABEL } from "./etiquetas";
import type { TipoBonificacion } from "./calculo";

/** One line of an expediente's history, as the HR page shows it. */
export type LineaHistorial = {
  /** "15/03/2026 09:30" in Lima time. */
  at: string;
  /** Who, in plain words: "Rosa Díaz (gestor)", "el postulante", "el sistema". */
  quien: string;
  /** What happened: "Cargó el documento «DNI» (dni.pdf)", "Vio el expediente". */
  que: string;
};

type Fila = { event: string; actorType: string; details: Record<string, unknown> };
type Nombres = {
  documento: (id: unknown) => string | null;
  etapa: (id: unknown) => string | null;
  staff: (id: unknown) => string | null;
  /** A document type's name as the convocatoria keeps it (none: its code). */
  tipo?: (code: string) => string | null;
};

const str = (v: unknown) => (typeof v === "string" ? v : "");
const tipoDe = (tipo: unknown, n: Nombres) => n.tipo?.(str(tipo)) ?? str(tipo);
const doc = (tipo: unknown, archivo: string | null, n: Nombres) => `«${tipoDe(tipo, n)}»${archivo ? ` (${archivo})` : ""}`;
const lista = (tipos: unknown, n: Nombres) => (Array.isArray(tipos) ? tipos.map((t) => `«${tipoDe(t, n)}»`).join(", ") : "");
const enEtapa = (nombre: string | null) => (nombre ? ` en ${nombre}` : "");
const puntaje = (v: unknown) => (v == null ? null : String(v));

/**
 * What an audit row of a postulación says, in Spanish: with the document, stage or person it
 * concerns when the row names one; otherwise the audit viewer's words for the event.
 */
export function describirEvento(row: Fila, nombres: Nombres): string {
  const d = row.details ?? {};
  switch (row.event) {
    case "documento.cargado":
      return `${d.reemplazo ? "Reemplazó" : d.reutilizado ? "Usó un documento guardado como" : "Cargó"} el documento ${doc(d.tipo, nombres.documento(d.documentoId), nombres)}`;
    case "documento.eliminado":
      return `Quitó el documento ${doc(d.tipo, null, nombres)}`;
    case "documento.reordenado":
      return `Cambió el orden de los archivos de ${doc(d.tipo, nombres.documento(d.documentoId), nombres)}`;
    case "documento.confirmaciones": {
      const partes = [
        lista(d.confirmados, nombres) && `Confirmó ${lista(d.confirmados, nombres)}`,
        lista(d.desmarcados, nombres) && `quitó la confirmación de ${lista(d.desmarcados, nombres)}`,
      ].filter(Boolean);
      return partes.length ? partes.join("; ") : "Guardó la confirmación de documentos";
    }
    case "postulacion.ficha_generada":
      return d.registrada ? "Se generó la Ficha de Postulación registrada" : "Se generó la Ficha de Postulación (borrador)";
    case "postulacion.desistida":
      return `Desistió de la postulación${d.conMotivo ? " (indicó un motivo)" : " (sin motivo)"}`;
    case "postulacion.registrada":
      return `Registró la postulación${d.numero ? ` con el N° ${str(d.numero)}` : ""}`;
    case "documento.visto":
      if (d.tipo === "ficha") return "Abrió la Ficha de Postulación";
      if (d.tipo === "constancia") return "Abrió la constancia";
      if (d.tipo === "desistimiento") return "Abrió la constancia de desistimiento";
      return `Abrió el documento ${doc(d.tipo, nombres.documento(d.archivo), nombres)}`;
    case "evaluacion.puntaje_registrado": {
      const antes = puntaje(d.anterior);
      return `${antes ? `Cambió su puntaje de ${antes} a ${puntaje(d.nuevo)}` : `Registró el puntaje ${puntaje(d.nuevo)}`}${enEtapa(nombres.etapa(d.etapaId))}`;
    }
    case "evaluacion.puntaje_corregido": {
      const de = nombres.staff(d.evaluadorId);
      return `Corrigió el puntaje${de ? ` de ${de}` : ""}${enEtapa(nombres.etapa(d.etapaId))}: de ${puntaje(d.anterior) ?? "—"} a ${puntaje(d.nuevo)}${d.motivo ? ` (motivo: ${str(d.motivo)})` : ""}`;
    }
    case "evaluacion.bonificacion_validada": {
      const tipo = BONIFICACION_LABEL[str(d.tipo) as TipoBonificacion] ?? str(d.tipo);
      return `${d.validada ? "Validó" : "Rechazó"} la bonificación «${tipo}»${d.validada && d.tipo === "deportista" && d.nivel ? ` (nivel ${String(d.nivel)})` : ""}`;
    }
    default:
      // The audit viewer's words (features/auditoria/eventos.ts): one text per event.
      return eventoLabel(row.event);
  }
}

/**
 * An expediente's history for the HR page, oldest first: each audit row of the postulación
 * (the applicant's and the staff's) in plain Spanish — which document (its type and, while it
 * is stored, its file name), which stage, who by name and current role ("el postulante" for the
 * applicant) and when (dd/mm/aaaa hh:mm, Lima).
 */
export async function historialExpediente(db: Db, postulacionId: string): Promise<LineaHistorial[]> {
  const rows = await db
    .select({ at: auditLog.at, event: auditLog.event, actorType: auditLog.actorType, details: auditLog.details, nombre: staff.nombre, role: staff.role })
    .from(auditLog)
    .leftJoin(staff, and(eq(auditLog.actorType, "staff"), eq(staff.id, auditLog.actorId)))
    .where(and(eq(auditLog.entityType, "postulacion"), eq(auditLog.entityId, postulacionId)))
    .orderBy(asc(auditLog.at), asc(auditLog.id))
    .limit(500);
  const ids = (key: string) => [...new Set(rows.map((r) => r.details?.[key]).filter((v): v is string => typeof v === "string" && /^[0-9a-f-]{36}$/i.test(v)))];
  const docIds = [...ids("documentoId"), ...ids("archivo")];
  const etapaIds = ids("etapaId");
  const staffIds = ids("evaluadorId");
  const archivos = new Map(
    docIds.length ? (await db.select({ id: documentos.id, filename: archivosTabla.filename }).from(documentos).innerJoin(archivosTabla, eq(archivosTabla.id, documentos.archivoId)).where(inArray(documentos.id, docIds))).map((x) => [x.id, x.filename]) : [],
  );
  const etapas = new Map(
    etapaIds.length ? (await db.select({ id: evaluacionEtapas.id, nombre: evaluacionEtapas.nombre }).from(evaluacionEtapas).where(inArray(evaluacionEtapas.id, etapaIds))).map((x) => [x.id, x.nombre]) : [],
  );
  const personas = new Map(
    staffIds.length ? (await db.select({ id: staff.id, nombre: staff.nombre }).from(staff).where(inArray(staff.id, staffIds))).map((x) => [x.id, x.nombre]) : [],
  );
  // The types as the postulación's convocatoria names them (docs/convocatorias.md).
  const tipos = new Map(
    (
      await db
        .select({ tipo: convocatoriaDocumentos.tipo, nombre: convocatoriaDocumentos.nombre })
        .from(convocatoriaDocumentos)
        .innerJoin(postulaciones, eq(postulaciones.convocatoriaId, convocatoriaDocumentos.convocatoriaId))
        .where(eq(postulaciones.id, postulacionId))
    ).map((x) => [x.tipo, x.nombre]),
  );
  const nombres: Nombres = {
    tipo: (code) => tipos.get(code) ?? null,
    documento: (id) => archivos.get(str(id)) ?? null,
    etapa: (id) => etapas.get(str(id)) ?? null,
    staff: (id) => personas.get(str(id)) ?? null,
  };
  return rows.map((r) => ({
    at: formatLima(r.at),
    quien:
      r.actorType === "postulante"
        ? "el postulante"
        : r.actorType === "staff"
          ? r.nombre
            ? `${r.nombre} (${staffRoleLabel(r.role!).toLowerCase()})`
            : "personal de la entidad"
          : "el sistema",
    que: describirEvento(r, nombres),
  }));
}
