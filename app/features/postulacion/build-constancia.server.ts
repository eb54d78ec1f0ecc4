import { formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { renderTextPdf, type PdfImage, type TextBlock } from "~/platform/pdf/text-pdf.server";
import type { DocumentoRow, Expediente } from "./expediente.server";

/**
 * The constancia de postulación (PDF): what the applicant can prove was received — the
 * number, the Lima time, the convocatoria, the applicant and every file with its pages,
 * size and SHA-256. Built before the finalizing transaction, from the documents of the
 * version that transaction checks.
 */
export async function buildConstancia(input: {
  entidad: string;
  /** The entity's logo (Datos de la entidad), above its name. */
  logo?: PdfImage | null;
  numero: string;
  finalizadaAt: Date;
  expediente: Pick<Expediente, "convocatoria" | "nombreCompleto" | "documentoIdentidad">;
  documentos: readonly DocumentoRow[];
}): Promise<Uint8Array> {
  const { expediente: e } = input;
  const { bytes } = await renderTextPdf(
    [
      ...cabecera(input, "Constancia de postulación"),
      { paragraph: "Su postulación ha sido registrada satisfactoriamente." },
      {
        fields: [
          ["Número de postulación", input.numero],
          ["Fecha y hora de registro", `${formatLima(input.finalizadaAt)} (hora de Lima)`],
          ["Convocatoria", e.convocatoria.codigo],
          ["Puesto", e.convocatoria.puesto],
          ["Unidad orgánica", e.convocatoria.unidadOrganica],
          ["Postulante", e.nombreCompleto],
          ["Documento de identidad", e.documentoIdentidad],
        ],
      },
      { heading: `Documentos recibidos (${input.documentos.length})` },
      {
        table: {
          columns: [
            { header: "Documento", width: 3 },
            { header: "Páginas", width: 0.8, align: "right" },
            { header: "Tamaño", width: 1, align: "right" },
            { header: "SHA-256", width: 3.2 },
          ],
          rows: input.documentos.map((d) => [
            `${d.tipoNombre}: ${d.filename}`,
            String(d.pages),
            formatBytes(d.size),
            d.sha256,
          ]),
        },
      },
      {
        paragraph:
          "El SHA-256 identifica cada archivo tal como fue recibido: cualquier cambio en el archivo cambia su SHA-256.",
        size: 8,
      },
    ],
    {
      title: `Constancia de postulación N° ${input.numero}`,
      author: input.entidad,
      createdAt: input.finalizadaAt,
      footer: `Constancia N° ${input.numero}`,
    },
  );
  return bytes;
}

/**
 * The constancia de desistimiento (PDF, issue 17): what the applicant can prove happened —
 * the convocatoria, the number, the applicant, when the postulación was registered and when
 * they withdrew it (Lima time), their reason when they gave one, and that the files and the
 * history are kept (it left the evaluation; it was not deleted). Built before the transaction
 * that records the desistimiento.
 */
export async function buildConstanciaDesistimiento(input: {
  entidad: string;
  logo?: PdfImage | null;
  numero: string;
  finalizadaAt: Date;
  desistidaAt: Date;
  motivo: string | null;
  expediente: Pick<Expediente, "convocatoria" | "nombreCompleto" | "documentoIdentidad">;
  documentos: number;
}): Promise<Uint8Array> {
  const { expediente: e } = input;
  const { bytes } = await renderTextPdf(
    [
      ...cabecera(input, "Constancia de desistimiento"),
      { paragraph: `El postulante desistió de su postulación N° ${input.numero}. Ya no participa en la evaluación de esta convocatoria.` },
      {
        fields: [
          ["Número de postulación", input.numero],
          ["Convocatoria", e.convocatoria.codigo],
          ["Puesto", e.convocatoria.puesto],
          ["Unidad orgánica", e.convocatoria.unidadOrganica],
          ["Postulante", e.nombreCompleto],
          ["Documento de identidad", e.documentoIdentidad],
          ["Fecha y hora de registro", `${formatLima(input.finalizadaAt)} (hora de Lima)`],
          ["Fecha y hora de desistimiento", `${formatLima(input.desistidaAt)} (hora de Lima)`],
          ["Motivo", input.motivo ?? "No indicó un motivo."],
        ],
      },
      {
        paragraph: `La postulación no fue eliminada: sus ${input.documentos} ${input.documentos === 1 ? "documento" : "documentos"}, la Ficha de Postulación, la constancia de postulación y el historial se conservan como registro. No es posible volver a postular a esta convocatoria.`,
      },
    ],
    {
      title: `Constancia de desistimiento N° ${input.numero}`,
      author: input.entidad,
      createdAt: input.desistidaAt,
      footer: `Constancia de desistimiento N° ${input.numero}`,
    },
  );
  return bytes;
}

/** The entity's logo (Datos de la entidad) above its name, then the constancia's title. */
function cabecera(input: { entidad: string; logo?: PdfImage | null }, title: string): TextBlock[] {
  return [...(input.logo ? [{ image: input.logo, height: 40 }] : []), { paragraph: input.entidad }, { title }];
}
