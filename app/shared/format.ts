const soles = new Intl.NumberFormat("es-PE", { style: "currency", currency: "PEN", minimumFractionDigits: 2 });

/** "S/ 4,500.00" */
export function formatSoles(amount: string | number): string {
  return soles.format(Number(amount));
}

const numero = new Intl.NumberFormat("es-PE", { maximumFractionDigits: 1 });

/** A file's size as es-PE writes it ("1.5 MB", "1,000 KB"). */
export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${numero.format(n / 1024 / 1024)} MB` : `${numero.format(Math.max(1, Math.round(n / 1024)))} KB`;
}

/** A count with its noun agreeing ("1 postulación", "2 postulaciones"), the number as es-PE writes it. */
export function cantidad(n: number, singular: string, plural: string): string {
  return `${numero.format(n)} ${n === 1 ? singular : plural}`;
}

/** A calendar date as stored ("1990-03-15") → as people read it ("15/03/1990"); anything else unchanged. */
export function formatFecha(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}
