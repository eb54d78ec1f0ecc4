// The ficha benchmark's reference set: 10 PDFs of 0.5–8 MB, 39.5 MB and 50 pages in all,
// text pages and JPEG pages (a real JPEG header, random entropy-coded bytes: what a scanned
// page weighs, nothing downloaded). Deterministic sizes and page counts, random content.
//
//   node bench/make-reference-pdfs.mjs [dir]     (default bench/results/ficha-ref)
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pdfLib from "pdf-lib";

const { PDFDocument, StandardFonts } = pdfLib;

const MB = 1024 * 1024;
/** [size in MB, pages] — 39.5 MB, 50 pages. */
export const REFERENCE_SET = [
  [0.5, 2],
  [1, 3],
  [2, 4],
  [2.5, 5],
  [3, 5],
  [4, 5],
  [5, 6],
  [6, 6],
  [7, 7],
  [8.5, 7],
];

/** A JPEG: SOI, SOF0 (the size pdf-lib reads), then `bytes` of entropy-like data, EOI. */
function jpegLike(width, height, bytes) {
  const header = Buffer.from([
    0xff, 0xd8,
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
    0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00,
  ]);
  return Buffer.concat([header, randomBytes(bytes), Buffer.from([0xff, 0xd9])]);
}

export async function makeReferenceSet(dir) {
  mkdirSync(dir, { recursive: true });
  const files = [];
  for (const [i, [sizeMb, pages]] of REFERENCE_SET.entries()) {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const textPages = Math.max(1, Math.floor(pages / 3));
    const imagePages = pages - textPages;
    for (let p = 0; p < textPages; p++) {
      const page = doc.addPage([595, 842]);
      page.drawText(`Documento ${i + 1}, página ${p + 1}`, { x: 50, y: 780, size: 16, font });
      for (let line = 0; line < 40; line++) {
        page.drawText(`Línea ${line + 1}: experiencia laboral, formación académica, cursos y capacitaciones.`, {
          x: 50,
          y: 740 - line * 17,
          size: 10,
          font,
        });
      }
    }
    const imageBytes = Math.floor((sizeMb * MB - 20_000) / imagePages);
    for (let p = 0; p < imagePages; p++) {
      const image = await doc.embedJpg(jpegLike(2480, 3508, imageBytes));
      const page = doc.addPage([595, 842]);
      page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
    }
    const file = path.join(dir, `ref-${String(i + 1).padStart(2, "0")}.pdf`);
    writeFileSync(file, await doc.save());
    files.push({ file, pages });
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = path.resolve(process.argv[2] ?? "bench/results/ficha-ref");
  const files = await makeReferenceSet(dir);
  console.log(`${files.length} reference PDFs in ${dir}`);
}
