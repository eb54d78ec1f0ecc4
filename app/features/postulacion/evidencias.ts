/**
 * "Sustento de requisitos del perfil" (issue 17): which requirements of the perfil an applicant
 * may prove with pages of their files, and how those pages are written. Shared by the page, the
 * use case, the ficha and the HR pages (no server code here).
 */

/** The requirements to prove, in the perfil's order, with the names the convocatoria's page uses. "Competencias" is not proved with a document. */
export const REQUISITOS_SUSTENTO = [
  ["formacionAcademica", "Formación académica"],
  ["experienciaGeneral", "Experiencia general"],
  ["experienciaEspecifica", "Experiencia específica"],
  ["cursosEspecializacion", "Cursos y especialización"],
  ["conocimientos", "Conocimientos"],
] as const;

export type Requisito = (typeof REQUISITOS_SUSTENTO)[number][0];

export const REQUISITO_LABEL = Object.fromEntries(REQUISITOS_SUSTENTO) as Record<Requisito, string>;

export const esRequisito = (value: string): value is Requisito => value in REQUISITO_LABEL;

/** The requirements this perfil states (non-empty), with their text. */
export function requisitosDelPerfil(perfil: Record<Requisito, string>): { requisito: Requisito; label: string; texto: string }[] {
  return REQUISITOS_SUSTENTO.filter(([k]) => perfil[k].trim()).map(([requisito, label]) => ({ requisito, label, texto: perfil[requisito] }));
}

/** At most this many files per requirement (a form of a few rows; a perfil never asks for more). */
export const EVIDENCIAS_POR_REQUISITO = 10;

/** The form fields of one (file, pages) row of a requirement. */
export const evidenciaField = (requisito: Requisito, fila: number, parte: "documento" | "paginas") => `sustento-${requisito}-${fila}-${parte}`;
export const EVIDENCIA_FIELD = /^sustento-([A-Za-z]+)-(\d{1,2})-(documento|paginas)$/;

export type Rango = { desde: number; hasta: number };

export const PAGINAS_FORMATO = "Escriba las páginas como números o rangos separados por comas, por ejemplo: 1-3, 5.";

/**
 * "1-3, 5" as ranges, ascending, overlapping and adjacent ones merged ("5, 1-3, 4" → 1-5);
 * an en dash or "a" may stand for the hyphen, a semicolon or a space for the comma. Null when it
 * is not that shape (or a number is 0); the file's page count is checked by the caller.
 */
export function parsePaginas(texto: string): Rango[] | null {
  const partes = texto
    .replace(/\s*(?:[-–—]|\ba\b)\s*/g, "-")
    .split(/[,;\s]+/)
    .filter(Boolean);
  if (!partes.length || partes.length > 50) return null;
  const rangos: Rango[] = [];
  for (const parte of partes) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(parte);
    if (!m) return null;
    const desde = Number(m[1]);
    const hasta = m[2] === undefined ? desde : Number(m[2]);
    if (desde < 1 || hasta < desde) return null;
    rangos.push({ desde, hasta });
  }
  return unirRangos(rangos);
}

/** Ranges ascending, overlapping and adjacent ones merged. */
export function unirRangos(rangos: readonly Rango[]): Rango[] {
  const orden = [...rangos].sort((a, b) => a.desde - b.desde);
  const out: Rango[] = [];
  for (const r of orden) {
    const last = out.at(-1);
    if (last && r.desde <= last.hasta + 1) last.hasta = Math.max(last.hasta, r.hasta);
    else out.push({ ...r });
  }
  return out;
}

/** The stored form: "1-3, 5". */
export const formatPaginas = (rangos: readonly Rango[]) => rangos.map((r) => (r.desde === r.hasta ? `${r.desde}` : `${r.desde}-${r.hasta}`)).join(", ");

/** A range as read: "pág. 4" or "págs. 3–5". */
export const rangoLabel = (r: Rango) => (r.desde === r.hasta ? `pág. ${r.desde}` : `págs. ${r.desde}–${r.hasta}`);
