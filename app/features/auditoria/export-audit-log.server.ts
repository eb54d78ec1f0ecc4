import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import type { Db } from "~/db/client.server";
import { audit } from "~/platform/audit.server";
import { formatLima } from "~/shared/lima";
import { streamAuditLog, type FiltrosAuditoria } from "./list-audit-log.server";

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, a tab or a carriage return first)
 * gets a leading apostrophe (OWASP "CSV injection"): a name or a motivo is text, never code.
 */
function celda(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The audit log as CSV (UTF-8 with BOM, so Excel reads the accents; dates in Lima time),
 * streamed a batch of rows at a time, with the same filters as the page. The export itself is
 * audited, with the filters it used.
 */
export async function exportAuditLog(options: { db: Db; actorId: string; filtros: FiltrosAuditoria; now: Date }) {
  const { db, filtros } = options;
  const { antesDe: _antesDe, ...usados } = filtros;
  await audit(db, { type: "staff", id: options.actorId }, "auditoria.exportada", { type: "system", id: null }, { filtros: Object.keys(usados).join(", ") });
  async function* filas() {
    for await (const batch of streamAuditLog(db, usados)) {
      for (const f of batch) yield [formatLima(f.at), f.quien, f.accion, f.event, f.sobre, f.detalle].map(celda);
    }
  }
  const csv = stringify({
    bom: true,
    header: true,
    columns: ["Fecha y hora (Lima)", "Quién", "Acción", "Código de la acción", "Sobre qué", "Detalle"],
    record_delimiter: "windows",
  });
  const source = Readable.from(filas());
  source.on("error", (error) => csv.destroy(error));
  const body = source.pipe(csv);
  const stamp = formatLima(options.now).replace(/[^0-9]+/g, "-").replace(/^-|-$/g, "");
  return { body, contentType: "text/csv; charset=utf-8", filename: `auditoria-${stamp}.csv` };
}
