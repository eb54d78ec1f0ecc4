import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "~/db/client.server";
import { auditLog, convocatorias, postulaciones, postulantes, staff } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { limaToDate } from "~/shared/lima";
import type { StaffRole } from "~/shared/permissions";
import { EVENTO_LABEL, eventoLabel } from "./eventos";

export const POR_PAGINA = 50;

/** An applicant's full name, as the viewer shows it. */
const nombreCompleto = sql<string>`${postulantes.nombres} || ' ' || ${postulantes.apellidoPaterno} || ' ' || ${postulantes.apellidoMaterno}`;

const fecha = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);
const uuid = z
  .string()
  .refine((s) => isUuid(s))
  .optional()
  .catch(undefined);

/**
 * The viewer's filters, from the query string. Anything malformed is dropped (a filter that
 * cannot match is not an error page). No document number ever travels in the URL: an applicant
 * is named by the id `findPostulanteId` resolved from the form's POST.
 */
export const filtrosSchema = z.object({
  personal: uuid,
  postulante: uuid,
  postulacion: z.string().trim().max(40).optional().catch(undefined),
  accion: z
    .string()
    .refine((s) => s in EVENTO_LABEL)
    .optional()
    .catch(undefined),
  desde: fecha,
  hasta: fecha,
  antesDe: z.coerce.number().int().positive().optional().catch(undefined),
});
export type FiltrosAuditoria = z.output<typeof filtrosSchema>;

export function readFiltros(params: URLSearchParams): FiltrosAuditoria {
  return filtrosSchema.parse(Object.fromEntries([...params].filter(([, v]) => v !== "")));
}

/** The WHERE of the filters (the postulación by its N°, looked up once). */
async function where(db: Db, f: FiltrosAuditoria): Promise<SQL | undefined | false> {
  const a = auditLog;
  const conditions: (SQL | undefined)[] = [];
  if (f.personal) conditions.push(and(eq(a.actorType, "staff"), eq(a.actorId, f.personal)));
  if (f.postulante) {
    const suyas = db.select({ id: sql`${postulaciones.id}::text` }).from(postulaciones).where(eq(postulaciones.postulanteId, f.postulante));
    conditions.push(
      or(
        and(eq(a.actorType, "postulante"), eq(a.actorId, f.postulante)),
        and(eq(a.entityType, "postulante"), eq(a.entityId, f.postulante)),
        and(eq(a.entityType, "postulacion"), inArray(a.entityId, suyas)),
      ),
    );
  }
  if (f.postulacion) {
    const [p] = await db.select({ id: postulaciones.id }).from(postulaciones).where(eq(postulaciones.numero, f.postulacion)).limit(1);
    if (!p) return false;
    conditions.push(and(eq(a.entityType, "postulacion"), eq(a.entityId, p.id)));
  }
  if (f.accion) conditions.push(eq(a.event, f.accion));
  const desde = f.desde ? limaToDate(f.desde, "00:00") : null;
  const hasta = f.hasta ? limaToDate(f.hasta, "00:00") : null;
  if (desde) conditions.push(gte(a.at, desde));
  // "Hasta" is the whole Lima day: before the next day's midnight.
  if (hasta) conditions.push(lt(a.at, new Date(hasta.getTime() + 24 * 3600 * 1000)));
  if (f.antesDe) conditions.push(lt(a.id, f.antesDe));
  return and(...conditions);
}

export type FilaAuditoria = {
  id: number;
  at: string;
  /** "Rosa Díaz (gestor)", "Ana Quispe (postulante)" or "Sistema". */
  quien: string;
  accion: string;
  event: string;
  /** What it was about, in words: "Convocatoria CAS-012-2026", "Postulación N° 2026-000123". */
  sobre: string;
  /** The page that shows it to the office, where there is one. */
  enlace: string | null;
  /** The details' plain facts (motivo, fields, tipo…), never secrets (audit rows hold none). */
  detalle: string;
};

const ROL: Record<StaffRole, string> = { administrador: "administrador", gestor: "gestor", evaluador: "evaluador" };

function detalleDe(details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(details)) {
    // Hashes, ids and keys mean nothing to a reader; before/after objects are for the expediente's own pages.
    if (v == null || (typeof v === "object" && !Array.isArray(v)) || /sha256|Id$|^id$|Key$/.test(k)) continue;
    const value = Array.isArray(v) ? v.filter((x) => typeof x !== "object").join(", ") : String(v);
    if (value) parts.push(`${k}: ${value}`);
  }
  return parts.join(" · ");
}

/** Names for the page's rows, in one query per kind (ids from this page only). */
async function describir(db: Db, rows: (typeof auditLog.$inferSelect)[]): Promise<FilaAuditoria[]> {
  const ids = (pred: (r: (typeof auditLog.$inferSelect)) => string | null) => [...new Set(rows.map(pred).filter((x): x is string => !!x && isUuid(x)))];
  const staffIds = ids((r) => (r.actorType === "staff" ? r.actorId : r.entityType === "staff" ? r.entityId : null));
  const postulanteIds = ids((r) => (r.actorType === "postulante" ? r.actorId : r.entityType === "postulante" ? r.entityId : null));
  const postulacionIds = ids((r) => (r.entityType === "postulacion" ? r.entityId : null));
  const convocatoriaIds = ids((r) => (r.entityType === "convocatoria" ? r.entityId : null));
  const [staffRows, postulanteRows, postulacionRows, convocatoriaRows] = await Promise.all([
    staffIds.length ? db.select({ id: staff.id, nombre: staff.nombre, role: staff.role }).from(staff).where(inArray(staff.id, staffIds)) : [],
    postulanteIds.length
      ? db
          .select({ id: postulantes.id, nombre: nombreCompleto })
          .from(postulantes)
          .where(inArray(postulantes.id, postulanteIds))
      : [],
    postulacionIds.length
      ? db
          .select({ id: postulaciones.id, numero: postulaciones.numero, codigo: convocatorias.codigo })
          .from(postulaciones)
          .innerJoin(convocatorias, eq(convocatorias.id, postulaciones.convocatoriaId))
          .where(inArray(postulaciones.id, postulacionIds))
      : [],
    convocatoriaIds.length ? db.select({ id: convocatorias.id, codigo: convocatorias.codigo }).from(convocatorias).where(inArray(convocatorias.id, convocatoriaIds)) : [],
  ]);
  const staffById = new Map(staffRows.map((s) => [s.id, `${s.nombre} (${ROL[s.role]})`]));
  const postulanteById = new Map(postulanteRows.map((p) => [p.id, `${p.nombre} (postulante)`]));
  const postulacionById = new Map(postulacionRows.map((p) => [p.id, p]));
  const convocatoriaById = new Map(convocatoriaRows.map((c) => [c.id, c.codigo]));
  return rows.map((r) => {
    const quien =
      r.actorType === "system" || !r.actorId
        ? "Sistema"
        : ((r.actorType === "staff" ? staffById : postulanteById).get(r.actorId) ?? (r.actorType === "staff" ? "Personal (cuenta eliminada)" : "Postulante"));
    let sobre = "";
    let enlace: string | null = null;
    const id = r.entityId ?? "";
    if (r.entityType === "convocatoria") {
      sobre = `Convocatoria ${convocatoriaById.get(id) ?? "(eliminada)"}`;
      enlace = convocatoriaById.has(id) ? `/admin/convocatorias/${id}` : null;
    } else if (r.entityType === "postulacion") {
      const p = postulacionById.get(id);
      sobre = p ? (p.numero ? `Postulación N° ${p.numero} (${p.codigo})` : `Postulación en registro (${p.codigo})`) : "Postulación";
      enlace = p?.numero ? `/admin/postulaciones/${id}` : null;
    } else if (r.entityType === "staff") {
      sobre = `Cuenta de ${staffById.get(id) ?? "personal"}`;
    } else if (r.entityType === "postulante") {
      sobre = `Cuenta de ${postulanteById.get(id) ?? "postulante"}`;
    } else if (r.entityType === "dj_formato") {
      sobre = "Formato de Declaración Jurada";
    } else if (r.entityType === "evaluacion_etapa") {
      sobre = "Etapa de evaluación";
    } else if (r.entityType === "tipo_documento") {
      sobre = `Tipo de documento ${id}`;
      enlace = `/admin/tipos-documento/${id}`;
    } else {
      sobre = r.entityType === "system" ? "Sistema" : r.entityType;
    }
    return { id: r.id, at: r.at.toISOString(), quien, accion: eventoLabel(r.event), event: r.event, sobre, enlace, detalle: detalleDe(r.details) };
  });
}

/**
 * The audit log for the administrador, newest first, POR_PAGINA rows a page; the next page
 * is "older than the last row shown" (`antesDe`), so a page costs the same however deep.
 */
export async function listAuditLog(db: Db, filtros: FiltrosAuditoria) {
  const w = await where(db, filtros);
  const rows = w === false ? [] : await db.select().from(auditLog).where(w).orderBy(desc(auditLog.id)).limit(POR_PAGINA + 1);
  const filas = await describir(db, rows.slice(0, POR_PAGINA));
  return { filas, siguiente: rows.length > POR_PAGINA ? filas.at(-1)!.id : null };
}

/** The same rows for the CSV, a batch at a time (bounded memory whatever the log's size). */
export async function* streamAuditLog(db: Db, filtros: FiltrosAuditoria, batch = 1000): AsyncGenerator<FilaAuditoria[]> {
  let antesDe = filtros.antesDe;
  for (;;) {
    const w = await where(db, { ...filtros, antesDe });
    if (w === false) return;
    const rows = await db.select().from(auditLog).where(w).orderBy(desc(auditLog.id)).limit(batch);
    if (!rows.length) return;
    yield await describir(db, rows);
    if (rows.length < batch) return;
    antesDe = rows.at(-1)!.id;
  }
}

/** The staff who appear in the filter's list (everyone, with their role). */
export async function listPersonalParaFiltro(db: Db) {
  const rows = await db.select({ id: staff.id, nombre: staff.nombre, role: staff.role }).from(staff).orderBy(staff.nombre);
  return rows.map((r) => ({ value: r.id, label: `${r.nombre} (${ROL[r.role]})` }));
}

/** An applicant by document number, for the filter form's POST: their id, or null. */
export async function findPostulanteId(db: Db, numeroDocumento: string): Promise<string | null> {
  const numero = numeroDocumento.trim().toUpperCase();
  if (!/^[0-9A-Z-]{4,20}$/.test(numero)) return null;
  const [p] = await db.select({ id: postulantes.id }).from(postulantes).where(eq(postulantes.numeroDocumento, numero)).limit(1);
  return p?.id ?? null;
}

/** The applicant a filter names, in words for the page ("Ana Quispe Rojas"), or null. */
export async function nombrePostulante(db: Db, id: string): Promise<string | null> {
  const [p] = await db
    .select({ nombre: nombreCompleto })
    .from(postulantes)
    .where(eq(postulantes.id, id))
    .limit(1);
  return p?.nombre ?? null;
}
