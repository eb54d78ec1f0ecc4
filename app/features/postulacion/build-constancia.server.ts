import { formatBytes } from "~/features/convocatorias/format";
import { formatLima } from "~/features/convocatorias/lima";
import type { DocumentoRow, Expediente } from "./expediente.server";
import { tipoLabel } from "./expediente.server";
import { textPdf } from "./text-pdf-stand-in.server";

/**
 * The constancia de postulación (PDF): what the applicant can prove was received — the
 * number, the Lima time, the convocatoria, the applicant and every file with its pages,
 * size and SHA-256. Built before the finalizing transaction, from the documents of the
 * version that transaction checks.
 */
export async function buildConstancia(input: {
  entidad: string;
  numero: string;
  finalizadaAt: Date;
  expediente: Pick<Expediente, "convocatoria" | "nombreCompleto" | "documentoIdentidad">;
  documentos: readonly DocumentoRow[];
}): Promise<Uint8Array> {
  const { expediente: e } = input;
  const { bytes } = await textPdf(
    [
      { kind: "text", text: input.entidad },
      { kind: "title", text: "Constancia de postulación" },
      { kind: "text", text: "Su postulación ha sido registrada satisfactoriamente." },
      { kind: "heading", text: `Número de postulación: ${input.numero}` },
      { kind: "text", text: `Fecha y hora de registro: ${formatLima(input.finalizadaAt)} (hora de Lima)` },
      { kind: "heading", text: "Convocatoria" },
      { kind: "text", text: `${e.convocatoria.codigo} — ${e.convocatoria.puesto}` },
      { kind: "text", text: `Unidad orgánica: ${e.convocatoria.unidadOrganica}` },
      { kind: "heading", text: "Postulante" },
      { kind: "text", text: e.nombreCompleto },
      { kind: "text", text: e.documentoIdentidad },
      { kind: "heading", text: `Documentos recibidos (${input.documentos.length})` },
      ...input.documentos.flatMap((d, i) => [
        { kind: "text" as const, text: `${i + 1}. ${tipoLabel(d.tipo)}: ${d.filename}` },
        { kind: "text" as const, text: `    ${d.pages} ${d.pages === 1 ? "página" : "páginas"}, ${formatBytes(d.size)} (${d.size} bytes)` },
        { kind: "mono" as const, text: `    SHA-256: ${d.sha256}` },
      ]),
      {
        kind: "text",
        text: "El SHA-256 identifica cada archivo tal como fue recibido: cualquier cambio en el archivo cambia su SHA-256.",
      },
    ],
    { title: `Constancia de postulación ${input.numero}` },
  );
  return bytes;
}
