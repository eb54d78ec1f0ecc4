import { PDFDocument, StandardFonts, rgb, type PDFFont } from "pdf-lib";

/**
 * STAND-IN until app/platform/pdf/text-pdf.server.ts (helper-5) lands: a plain text PDF
 * (A4, Helvetica, wrapped lines, as many pages as needed). Only what the ficha cover and
 * the constancia need.
 */
export type TextBlock = { kind: "title" | "heading" | "text" | "mono"; text: string };

const SIZE = { title: 16, heading: 12, text: 10, mono: 8 } as const;

/** Helvetica speaks WinAnsi: anything else (CJK, emoji) becomes "?". */
function winAnsi(text: string): string {
  return text.replace(/[^\x20-\x7e\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g, "?");
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(" ")) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      // A word longer than the line (a SHA-256, a long name) is cut.
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let n = rest.length - 1;
        while (n > 1 && font.widthOfTextAtSize(rest.slice(0, n), size) > width) n--;
        lines.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

export async function textPdf(blocks: TextBlock[], meta: { title: string }): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  doc.setTitle(winAnsi(meta.title));
  doc.setProducer("CAS Online");
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  const [W, H, M] = [595, 842, 50];
  let page = doc.addPage([W, H]);
  let y = H - M;
  for (const block of blocks) {
    const size = SIZE[block.kind];
    const font = block.kind === "title" || block.kind === "heading" ? bold : block.kind === "mono" ? mono : regular;
    if (block.kind === "heading") y -= 6;
    for (const line of wrap(winAnsi(block.text), font, size, W - 2 * M)) {
      if (y - size < M) {
        page = doc.addPage([W, H]);
        y = H - M;
      }
      page.drawText(line, { x: M, y: y - size, size, font, color: rgb(0.1, 0.1, 0.1) });
      y -= size * 1.4;
    }
    y -= block.kind === "title" ? 8 : 2;
  }
  const bytes = await doc.save();
  return { bytes, pages: doc.getPageCount() };
}
