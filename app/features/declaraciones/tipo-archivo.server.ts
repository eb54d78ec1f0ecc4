import { PDFDocument } from "pdf-lib";

/**
 * The Declaraciones Juradas formats are PDF, DOCX or ODT, up to 10 MB, and the type is
 * decided by the content: a PDF is one pdf-lib reads whole (not encrypted); a DOCX is a ZIP
 * whose directory holds [Content_Types].xml and word/document.xml; an ODT is a ZIP whose
 * first entry is the stored file "mimetype" reading application/vnd.oasis.opendocument.text.
 */
export const FORMATO_MAX_BYTES = 10 * 1024 * 1024;

export type TipoFormato = { ext: "pdf" | "docx" | "odt"; contentType: string };

const PDF: TipoFormato = { ext: "pdf", contentType: "application/pdf" };
const DOCX: TipoFormato = {
  ext: "docx",
  contentType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
};
const ODT: TipoFormato = { ext: "odt", contentType: "application/vnd.oasis.opendocument.text" };

/** The names in a ZIP's central directory, or null when it is not a readable ZIP. */
export function zipEntryNames(bytes: Uint8Array): string[] | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 22 || buf.readUInt32LE(0) !== 0x04034b50) return null;
  // End of central directory: the last 22 bytes plus up to 64 KB of comment.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65_535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > buf.length || buf.readUInt32LE(offset) !== 0x02014b50) return null;
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    names.push(buf.toString("utf8", offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function odtMimetype(bytes: Uint8Array): boolean {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 30) return false;
  const method = buf.readUInt16LE(8);
  const nameLength = buf.readUInt16LE(26);
  const extraLength = buf.readUInt16LE(28);
  const name = buf.toString("utf8", 30, 30 + nameLength);
  const start = 30 + nameLength + extraLength;
  return method === 0 && name === "mimetype" && buf.toString("ascii", start, start + ODT.contentType.length) === ODT.contentType;
}

/** The format's type, or the Spanish reason it is refused. */
export async function tipoDeFormato(bytes: Uint8Array): Promise<TipoFormato | { problem: string }> {
  if (bytes.length === 0) return { problem: "El archivo está vacío." };
  if (bytes.length > FORMATO_MAX_BYTES) return { problem: "El archivo no debe superar los 10 MB." };
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  if (head.includes("%PDF-")) {
    try {
      const doc = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
      if (doc.getPageCount() > 0) return PDF;
    } catch (error) {
      if (/encrypted/i.test((error as Error).message)) {
        return { problem: "El PDF está protegido con contraseña. Cargue una versión sin contraseña." };
      }
    }
    return { problem: "El PDF está dañado: no se puede leer." };
  }
  const names = zipEntryNames(bytes);
  if (names) {
    if (odtMimetype(bytes) && names.includes("content.xml")) return ODT;
    if (names.includes("[Content_Types].xml") && names.includes("word/document.xml")) return DOCX;
  }
  return { problem: "Solo se aceptan formatos PDF, DOCX u ODT." };
}

/** A download name: the title, ASCII-safe, with the type's extension. */
export function nombreDescarga(titulo: string, ext: string): string {
  const clean = titulo
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/[^A-Za-z0-9 ._-]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100);
  return `${clean || "formato"}.${ext}`;
}
