import { open } from "node:fs/promises";
import type { UploadedFile } from "~/shared/uploaded-file";

/** The logo's limit: the upload reader cuts the file at this size + 1 byte while it streams in. */
export const LOGO_MAX_BYTES = 300 * 1024;

export const LOGO_TOO_LARGE = "El logo no debe superar los 300 KB.";

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/**
 * The logo's type by its first bytes (the browser's name and type are not trusted), or the
 * Spanish reason it is refused. PNG: the 8-byte signature; JPEG: FF D8 FF (SOI and a marker).
 */
export async function logoType(file: UploadedFile): Promise<{ contentType: "image/png" | "image/jpeg" } | { problem: string }> {
  if (file.size === 0) return { problem: "El archivo del logo está vacío." };
  if (file.size > LOGO_MAX_BYTES) return { problem: LOGO_TOO_LARGE };
  const handle = await open(file.path, "r");
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    if (bytesRead === 8 && head.equals(PNG)) return { contentType: "image/png" };
    if (bytesRead >= 3 && head.subarray(0, 3).equals(JPEG)) return { contentType: "image/jpeg" };
    return { problem: "El logo debe ser una imagen PNG o JPEG." };
  } finally {
    await handle.close();
  }
}
