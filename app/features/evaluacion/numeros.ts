/**
 * Scores are decimals with two places. They are handled as integer hundredths (3850 = 38.50)
 * so sums and comparisons are exact; rounding is half up, at the steps docs/evaluacion.md names.
 */

/** "38,5", "38.50", " 40 " → 3850 / 4050 / 4000; null when not a number with at most two decimals. */
export function parsePuntaje(raw: string): number | null {
  const s = raw.trim().replace(",", ".");
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(s)) return null;
  const [ent, dec = ""] = s.split(".");
  return Number(ent) * 100 + Number(dec.padEnd(2, "0"));
}

/** A numeric column ("50.00") → hundredths. */
export const centesimos = (numeric: string | number): number => Math.round(Number(numeric) * 100);

/** Hundredths → "38.50" (for numeric columns). */
export const aNumeric = (h: number): string => (h / 100).toFixed(2);

const fmt = new Intl.NumberFormat("es-PE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Hundredths → "38.50" as shown to people (es-PE uses a dot). */
export const formatPuntaje = (h: number | null | undefined): string => (h == null ? "—" : fmt.format(h / 100));

/** Half-up rounding of a non-negative real to an integer (with a guard against 0.4999999 floats). */
export const redondear = (x: number): number => Math.floor(x + 0.5 + 1e-9);

/** "****1236": the document number with all but its last four characters hidden. */
export function enmascararDocumento(numero: string): string {
  return `****${numero.slice(-4)}`;
}
