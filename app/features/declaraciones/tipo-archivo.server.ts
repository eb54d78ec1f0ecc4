import { open, readFile, type FileHandle } from "node:fs/promises";
import { PDFDocument } from "pdf-lib";
import type { UploadedFile } from "~/shared/uploaded-file";

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

/** Up to `length` bytes of the file from `position` (fewer at its end). */
async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * The names in a ZIP's central directory, or null when it is not a readable ZIP. Reads the
 * first bytes, the last 64 KB (where the end record is) and the directory, not the whole file.
 */
export async function zipEntryNames(file: FileHandle, size: number): Promise<string[] | null> {
  if (size < 22 || (await readAt(file, 0, 4)).readUInt32LE(0) !== 0x04034b50) return null;
  // End of central directory: the last 22 bytes plus up to 64 KB of comment.
  const tailStart = Math.max(0, size - 22 - 65_535);
  const tail = await readAt(file, tailStart, size - tailStart);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = tail.readUInt16LE(eocd + 10);
  const start = tail.readUInt32LE(eocd + 16);
  // The central directory, from its start to the end of the file (the end record bounds it).
  const dir = start < size ? await readAt(file, start, size - start) : Buffer.alloc(0);
  let offset = 0;
  const names: string[] = [];
  for (let n = 0; n < count; n++) {
    if (offset + 46 > dir.length || dir.readUInt32LE(offset) !== 0x02014b50) return null;
    const nameLength = dir.readUInt16LE(offset + 28);
    const extraLength = dir.readUInt16LE(offset + 30);
    const commentLength = dir.readUInt16LE(offset + 32);
    names.push(dir.toString("utf8", offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** The first entry is the stored (uncompressed) file "mimetype" holding the ODT type. */
async function odtMimetype(file: FileHandle): Promise<boolean> {
  const header = await readAt(file, 0, 30);
  if (header.length < 30) return false;
  const method = header.readUInt16LE(8);
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const rest = await readAt(file, 30, nameLength + extraLength + ODT.contentType.length);
  const name = rest.toString("utf8", 0, nameLength);
  const start = nameLength + extraLength;
  return method === 0 && name === "mimetype" && rest.toString("ascii", start, start + ODT.contentType.length) === ODT.contentType;
}

/** The format's type, or the Spanish reason it is refused. Reads the temp file; the whole of it only for a PDF (pdf-lib parses from memory). */
export async function tipoDeFormato(archivo: UploadedFile): Promise<TipoFormato | { problem: string }> {
  if (archivo.size === 0) return { problem: "El archivo está vacío." };
  if (archivo.size > FORMATO_MAX_BYTES) return { problem: "El archivo no debe superar los 10 MB." };
  const file = await open(archivo.path, "r");
  try {
    const head = (await readAt(file, 0, 1024)).toString("latin1");
    if (head.includes("%PDF-")) {
      try {
        const doc = await PDFDocument.load(await readFile(archivo.path), { throwOnInvalidObject: true, updateMetadata: false });
        if (doc.getPageCount() > 0) return PDF;
      } catch (error) {
        if (/encrypted/i.test((error as Error).message)) {
          return { problem: "El PDF está protegido con contraseña. Cargue una versión sin contraseña." };
        }
      }
      return { problem: "El PDF está dañado: no se puede leer." };
    }
    const names = await zipEntryNames(file, archivo.size);
    if (names) {
      if ((await odtMimetype(file)) && names.includes("content.xml")) return ODT;
      if (names.includes("[Content_Types].xml") && names.includes("word/document.xml")) return DOCX;
    }
    return { problem: "Solo se aceptan formatos PDF, DOCX u ODT." };
  } finally {
    await file.close();
  }
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
