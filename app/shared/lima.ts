/**
 * Lima time. Peru has kept UTC−5 with no daylight saving since 1994, so a Lima wall-clock
 * time converts to UTC by a fixed offset; display goes through Intl with the zone anyway.
 */
export const LIMA_TZ = "America/Lima";
const OFFSET = "-05:00";

/** "2026-12-01" + "08:30" (Lima) → the UTC instant; null when either is not a real date/time. */
export function limaToDate(fecha: string, hora: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fecha) || !/^\d{2}:\d{2}$/.test(hora)) return null;
  const d = new Date(`${fecha}T${hora}:00${OFFSET}`);
  if (Number.isNaN(d.getTime())) return null;
  // Reject dates that JavaScript would roll over (2026-02-30 → March 2).
  if (dateToLima(d).fecha !== fecha) return null;
  return d;
}

/** The Lima date ("YYYY-MM-DD") and time ("HH:MM") of an instant, for form inputs. */
export function dateToLima(d: Date): { fecha: string; hora: string } {
  const iso = limaWallClock(d).toISOString();
  return { fecha: iso.slice(0, 10), hora: iso.slice(11, 16) };
}

/**
 * The instant whose UTC fields are Lima's wall-clock time: what a spreadsheet cell (which has
 * no time zone; ExcelJS writes a Date's UTC fields) must hold to show the Lima date and time.
 */
export function limaWallClock(d: Date): Date {
  return new Date(d.getTime() - 5 * 3600_000);
}

const fechaHora = new Intl.DateTimeFormat("es-PE", {
  timeZone: LIMA_TZ,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  // Not hour12: false, which ICU turns into hourCycle h24 for es-PE: "24:07" for 00:07.
  hourCycle: "h23",
});
const fecha = new Intl.DateTimeFormat("es-PE", { timeZone: LIMA_TZ, day: "2-digit", month: "2-digit", year: "numeric" });

/** "01/12/2026 08:30" in Lima time. */
export function formatLima(d: Date | string): string {
  return fechaHora.format(new Date(d));
}

export function formatLimaFecha(d: Date | string): string {
  return fecha.format(new Date(d));
}

/** Whole Lima calendar days from `now` to `end` (0 on the last day). */
export function diasRestantes(now: Date, end: Date): number {
  const day = (x: Date) => Math.floor((x.getTime() - 5 * 3600_000) / 86_400_000);
  return day(end) - day(now);
}
