import { open, readFile } from "node:fs/promises";
import { PDFDocument } from "pdf-lib";
import type { UploadedFile } from "~/shared/uploaded-file";

/** The logo's limit: the upload reader cuts the file at this size + 1 byte while it streams in. */
export const LOGO_MAX_BYTES = 300 * 1024;

export const LOGO_TOO_LARGE = "El logo no debe superar los 300 KB.";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** A PNG is decoded whole to be drawn in a PDF: its pixels are bounded first (a small file can hold a huge image). */
export const LOGO_MAX_PIXELS = 2000 * 2000;

const DAÑADO = "El logo está dañado: no se puede leer la imagen.";

/**
 * The logo's type by its first bytes (the browser's name and type are not trusted), or the
 * Spanish reason it is refused. PNG: the 8-byte signature, then its IHDR's size within
 * LOGO_MAX_PIXELS; JPEG: FF D8 FF (SOI and a marker). Either must then embed in a PDF with
 * pdf-lib, as the ficha and the constancia will do it.
 */
export async function logoType(file: UploadedFile): Promise<{ contentType: "image/png" | "image/jpeg" } | { problem: string }> {
  if (file.size === 0) return { problem: "El archivo del logo está vacío." };
  if (file.size > LOGO_MAX_BYTES) return { problem: LOGO_TOO_LARGE };
  const handle = await open(file.path, "r");
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const png = bytesRead === 8 && head.equals(PNG);
    if (!png && !(bytesRead >= 3 && head.subarray(0, 3).equals(JPEG))) return { problem: "El logo debe ser una imagen PNG o JPEG." };
    if (png) {
      const ihdr = Buffer.alloc(16);
      const read = await handle.read(ihdr, 0, 16, 8);
      if (read.bytesRead < 16 || ihdr.toString("latin1", 4, 8) !== "IHDR") return { problem: DAÑADO };
      if (ihdr.readUInt32BE(8) * ihdr.readUInt32BE(12) > LOGO_MAX_PIXELS) {
        return { problem: "El logo es demasiado grande: use una imagen de hasta 2000 × 2000 píxeles." };
      }
    }
    const doc = await PDFDocument.create();
    // A copy at offset 0: pdf-lib reads a JPEG through a DataView of the whole underlying buffer.
    const bytes = new Uint8Array(await readFile(file.path));
    const embedded = await (png ? doc.embedPng(bytes) : doc.embedJpg(bytes)).then(() => true, () => false);
    if (!embedded) return { problem: DAÑADO };
    return { contentType: png ? "image/png" : "image/jpeg" };
  } finally {
    await handle.close();
  }
}
