/**
 * The search key: lower-case, accents and other combining marks stripped, spaces collapsed.
 * Written to convocatorias.busqueda at save time and applied to the query, so "tecnico"
 * finds "Técnico" with a plain LIKE (PGlite has no unaccent extension).
 */
export function normalizeSearch(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** A LIKE pattern that matches `text` literally anywhere (%, _ and \ escaped). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
