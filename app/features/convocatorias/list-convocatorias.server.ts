import { and, asc, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { keptValue, type KeptValue } from "~/platform/kept-value.server";
import { convocatorias } from "~/db/schema";
import { departamentos } from "~/features/ubigeo/ubigeo.server";
import { diasRestantes } from "~/shared/lima";
import { faseDe, type EstadoConvocatoria, type Fase, type FiltroEstado } from "./estado";
import { containsPattern, normalizeSearch } from "./normalize";

export const POR_PAGINA = 20;

export type FiltrosPublicos = {
  q?: string;
  estado?: FiltroEstado | "";
  unidad?: string;
  tipoContrato?: string;
  departamento?: string;
  page?: number;
};

/** The derived estado filters, in SQL so counts and pages are right. */
function filtroEstado(estado: string | undefined, at: Date): SQL | undefined {
  const c = convocatorias;
  const now = sql`${at.toISOString()}::timestamptz`;
  switch (estado) {
    case "en_postulacion":
      return and(eq(c.estado, "publicada"), sql`${c.postulacionInicio} <= ${now}`, sql`${c.postulacionFin} > ${now}`);
    case "en_evaluacion":
      return and(eq(c.estado, "publicada"), sql`${c.postulacionFin} <= ${now}`);
    case "concluidas":
      return sql`${c.estado} in ('concluida', 'desierta', 'cancelada')`;
    default:
      return undefined;
  }
}

function busqueda(q: string | undefined): SQL | undefined {
  const term = normalizeSearch(q ?? "");
  if (!term) return undefined;
  // Every word must appear (in any order), each matched literally.
  return and(...term.split(" ").slice(0, 8).map((w) => sql`${convocatorias.busqueda} like ${containsPattern(w)}`));
}

export type ConvocatoriaResumen = {
  id: string;
  codigo: string;
  puesto: string;
  unidadOrganica: string;
  vacantes: number;
  remuneracion: string;
  tipoContrato: string;
  ubigeo: string;
  estado: EstadoConvocatoria;
  fase: Fase;
  postulacionInicio: string | null;
  postulacionFin: string | null;
  /** Lima days left while the window is open (0 = last day), else null. */
  diasRestantes: number | null;
  hasBases: boolean;
  publishedAt: string | null;
  updatedAt: string;
};

const resumenColumns = {
  id: convocatorias.id,
  codigo: convocatorias.codigo,
  puesto: convocatorias.puesto,
  unidadOrganica: convocatorias.unidadOrganica,
  vacantes: convocatorias.vacantes,
  remuneracion: convocatorias.remuneracion,
  tipoContrato: convocatorias.tipoContrato,
  ubigeo: convocatorias.ubigeo,
  estado: convocatorias.estado,
  postulacionInicio: convocatorias.postulacionInicio,
  postulacionFin: convocatorias.postulacionFin,
  hasBases: sql<boolean>`${convocatorias.basesKey} is not null`,
  publishedAt: convocatorias.publishedAt,
  updatedAt: convocatorias.updatedAt,
};

type ResumenRow = {
  [K in keyof typeof resumenColumns]: K extends "hasBases" ? boolean : (typeof convocatorias.$inferSelect)[K & keyof typeof convocatorias.$inferSelect];
};

export function toResumen(r: ResumenRow, now: Date): ConvocatoriaResumen {
  const fase = faseDe(r, now);
  return {
    ...r,
    fase,
    postulacionInicio: r.postulacionInicio?.toISOString() ?? null,
    postulacionFin: r.postulacionFin?.toISOString() ?? null,
    diasRestantes: fase === "en_postulacion" && r.postulacionFin ? diasRestantes(now, r.postulacionFin) : null,
    publishedAt: r.publishedAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** What the public list shows for these filters: published ones (never borradores) that match. */
function wherePublicas(filtros: FiltrosPublicos, now: Date): SQL | undefined {
  const c = convocatorias;
  return and(
    sql`${c.estado} <> 'borrador'`,
    busqueda(filtros.q),
    filtroEstado(filtros.estado, now),
    filtros.unidad ? eq(c.unidadOrganica, filtros.unidad) : undefined,
    filtros.tipoContrato ? sql`${c.tipoContrato}::text = ${filtros.tipoContrato}` : undefined,
    filtros.departamento && /^\d{2}$/.test(filtros.departamento)
      ? sql`left(${c.ubigeo}, 2) = ${filtros.departamento}`
      : undefined,
  );
}

/**
 * The convocatorias the public list shows for `filtros` (as at `now`) that were published in
 * `(desde, hasta]`, oldest first, at most `limit`, and how many there are in all: an alert's
 * daily digest (features/alertas).
 */
export async function listPublicadasEntre(
  db: Db,
  now: Date,
  filtros: FiltrosPublicos,
  periodo: { desde: Date; hasta: Date; limit: number },
) {
  const c = convocatorias;
  const rows = await db
    .select({ ...resumenColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(c)
    .where(
      and(
        wherePublicas(filtros, now),
        sql`${c.publishedAt} > ${periodo.desde.toISOString()}::timestamptz`,
        sql`${c.publishedAt} <= ${periodo.hasta.toISOString()}::timestamptz`,
      ),
    )
    .orderBy(asc(c.publishedAt), asc(c.codigo))
    .limit(periodo.limit);
  return { items: rows.map(({ total: _t, ...r }) => toResumen(r, now)), total: rows[0]?.total ?? 0 };
}

/**
 * The public Listado de Convocatorias: published ones (never borradores), newest first,
 * one query for the page and its total (count(*) over ()).
 */
export async function listConvocatoriasPublicas(db: Db, now: Date, filtros: FiltrosPublicos) {
  const c = convocatorias;
  const where = wherePublicas(filtros, now);
  const page = Math.max(1, Math.min(filtros.page ?? 1, 10_000));
  const rows = await db
    .select({ ...resumenColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(c)
    .where(where)
    .orderBy(desc(c.publishedAt), asc(c.codigo))
    .limit(POR_PAGINA)
    .offset((page - 1) * POR_PAGINA);
  let total = rows[0]?.total ?? 0;
  if (!rows.length && page > 1) {
    const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(c).where(where);
    total = row?.n ?? 0;
  }
  return {
    items: rows.map(({ total: _t, ...r }) => toResumen(r, now)),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / POR_PAGINA)),
  };
}

/** The filter choices: unidades orgánicas and departamentos that have public convocatorias (read now). */
async function leerOpcionesFiltros(db: Db) {
  const rows = await db
    .select({ unidad: convocatorias.unidadOrganica, dep: sql<string>`left(${convocatorias.ubigeo}, 2)` })
    .from(convocatorias)
    .where(sql`${convocatorias.estado} <> 'borrador'`)
    .groupBy(convocatorias.unidadOrganica, sql`left(${convocatorias.ubigeo}, 2)`);
  const unidades = [...new Set(rows.map((r) => r.unidad))].sort((a, b) => a.localeCompare(b, "es"));
  const deps = new Set(rows.map((r) => r.dep));
  return { unidades, departamentos: departamentos().filter((d) => deps.has(d.value)) };
}

export type OpcionesFiltros = Awaited<ReturnType<typeof leerOpcionesFiltros>>;

/**
 * How long a process shows the same filter choices. Reading them groups every public
 * convocatoria (a scan that grows with the table): every search of a crowd would pay it
 * (bench/README.md, "The deadline-day crowd"). Publishing or editing one drops this process's
 * copy at once (`olvidarOpcionesFiltros`); other app servers follow within the TTL.
 */
export const OPCIONES_FILTROS_TTL_MS = 5_000;
const opcionesKept = new WeakMap<Db, KeptValue<OpcionesFiltros>>();

/** The filter choices of the public list, at most OPCIONES_FILTROS_TTL_MS old. */
export function opcionesFiltros(db: Db): Promise<OpcionesFiltros> {
  let kept = opcionesKept.get(db);
  if (!kept) opcionesKept.set(db, (kept = keptValue(() => leerOpcionesFiltros(db), OPCIONES_FILTROS_TTL_MS)));
  return kept.current();
}

/** After a change to what the public sees (a publication, an edit): the next list reads the choices again. */
export function olvidarOpcionesFiltros(db: Db) {
  opcionesKept.get(db)?.invalidate();
}

/** The HR office's list: every state, search and an estado filter. */
export async function listConvocatoriasAdmin(
  db: Db,
  now: Date,
  filtros: { q?: string; estado?: string; page?: number },
) {
  const c = convocatorias;
  const estados = ["borrador", "publicada", "concluida", "cancelada", "desierta"];
  const where = and(
    busqueda(filtros.q),
    filtros.estado && estados.includes(filtros.estado)
      ? sql`${c.estado}::text = ${filtros.estado}`
      : filtroEstado(filtros.estado, now),
  );
  const page = Math.max(1, Math.min(filtros.page ?? 1, 10_000));
  const rows = await db
    .select({ ...resumenColumns, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(c)
    .where(where)
    .orderBy(desc(c.updatedAt))
    .limit(POR_PAGINA)
    .offset((page - 1) * POR_PAGINA);
  const total = rows[0]?.total ?? 0;
  return {
    items: rows.map(({ total: _t, ...r }) => toResumen(r, now)),
    total,
    page,
    pages: Math.max(1, Math.ceil(total / POR_PAGINA)),
  };
}

/** The open ones, for the feeds: window open now, closing soonest first. */
export async function listConvocatoriasAbiertas(db: Db, now: Date, limit = 100) {
  const c = convocatorias;
  const rows = await db
    .select({ ...resumenColumns, sede: c.sede })
    .from(c)
    .where(filtroEstado("en_postulacion", now))
    .orderBy(desc(c.publishedAt), asc(c.codigo))
    .limit(limit);
  return rows.map(({ sede, ...r }) => ({ ...toResumen(r, now), sede }));
}
