import { PDFDocument, PDFFont, StandardFonts, rgb, type PDFPage } from "pdf-lib";

/**
 * Simple text PDFs (the ficha's cover, the constancia): a list of blocks laid out on A4
 * pages with pdf-lib's standard Helvetica, wrapped, paginated, "Página n de m" at the foot.
 *
 *   const { bytes, pages } = await renderTextPdf([
 *     { title: "Ficha de Postulación" },
 *     { fields: [["Convocatoria", "CAS N° 012-2026"], ["Postulante", "Ñuñez, José"]] },
 *     { heading: "Documentos" },
 *     { table: { columns: [{ header: "Documento", width: 3 }, { header: "Páginas", width: 1, align: "right" }],
 *                rows: [["DNI", "3-4"]] } },
 *     { paragraph: "Texto libre…" },
 *   ], { title: "Ficha de Postulación", author: "Superintendencia…", createdAt: now });
 *
 * Standard fonts speak WinAnsi: Spanish letters and signs (á é í ó ú ñ ü ¿ ¡ ° º ª €) are
 * in it; anything else (emoji, CJK in a file name) is replaced (toWinAnsi), never a crash.
 */
/** A PNG or JPEG (the entity's logo), drawn at the left, `height` points high. */
export type PdfImage = { bytes: Uint8Array; type: "png" | "jpeg" };
export type Column = { header: string; /** share of the width */ width: number; align?: "left" | "right" };
export type TextBlock =
  | { title: string }
  | { heading: string }
  | { paragraph: string; size?: number }
  | { fields: Array<[label: string, value: string]> }
  | { table: { columns: Column[]; rows: string[][] } }
  | { spacer: number }
  /** An image that cannot be decoded is left out: the document is built without it. */
  | { image: PdfImage; height: number };

const PAGE: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const BODY = 10;
const LEADING = 1.35;
const CELL_PAD = 4;

let winAnsi: Set<number> | undefined;

/** Text as Helvetica can draw it: unsupported characters become their base letter or "?". */
export function toWinAnsi(text: string, charset: Set<number> = winAnsiSet()): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\t/g, " ")) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0x0a) {
      out += "\n";
    } else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      continue;
    } else if (charset.has(cp)) {
      out += ch;
    } else {
      const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
      out += base && [...base].every((c) => charset.has(c.codePointAt(0)!)) ? base : "?";
    }
  }
  return out;
}

function winAnsiSet(): Set<number> {
  if (!winAnsi) {
    // WinAnsi (cp1252): what every standard font but Symbol and ZapfDingbats encodes.
    winAnsi = new Set(WIN_ANSI_EXTRA);
    for (let cp = 0x20; cp <= 0x7e; cp++) winAnsi.add(cp);
    for (let cp = 0xa0; cp <= 0xff; cp++) winAnsi.add(cp);
  }
  return winAnsi;
}

/** The 0x80–0x9F row of WinAnsi (cp1252), as Unicode. */
const WIN_ANSI_EXTRA = [
  0x20ac, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x017d, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x017e, 0x0178,
];

/** Splits text into lines no wider than `width`; words longer than a line are cut. */
export function wrapText(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split("\n")) {
    let line = "";
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = "";
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

export type TextPdfOptions = {
  /** The document's Title (metadata). */
  title?: string;
  /** The document's Author (metadata): the entity (ENTITY_NAME). */
  author?: string;
  /** The document's CreationDate and ModDate (metadata); pdf-lib's own clock otherwise. */
  createdAt?: Date;
  /** Printed before "Página n de m" on every page. */
  footer?: string;
  /**
   * The page count of the whole document when these pages are only its start (the ficha's
   * cover, followed by the documents): "Página 1 de 15", not "de 1".
   */
  documentPages?: number;
};

export async function renderTextPdf(
  blocks: TextBlock[],
  options: TextPdfOptions = {},
): Promise<{ bytes: Uint8Array; pages: number }> {
  const doc = await PDFDocument.create();
  // Metadata is Unicode (UTF-16 in the file): unlike drawn text it needs no WinAnsi fallback.
  if (options.title) doc.setTitle(options.title);
  if (options.author) doc.setAuthor(options.author);
  if (options.createdAt) {
    doc.setCreationDate(options.createdAt);
    doc.setModificationDate(options.createdAt);
  }
  doc.setCreator("CAS Online");
  doc.setProducer("CAS Online");
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const contentWidth = PAGE[0] - 2 * MARGIN;
  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;

  const ensure = (height: number) => {
    if (y - height < MARGIN + 20) {
      page = doc.addPage(PAGE);
      y = PAGE[1] - MARGIN;
      return true;
    }
    return false;
  };
  const lineHeight = (size: number) => size * LEADING;
  const drawLines = (lines: string[], font: PDFFont, size: number, x = MARGIN) => {
    for (const line of lines) {
      ensure(lineHeight(size));
      y -= lineHeight(size);
      page.drawText(line, { x, y: y + size * 0.3, size, font, color: rgb(0, 0, 0) });
    }
  };

  for (const block of blocks) {
    if ("title" in block) {
      drawLines(wrapText(toWinAnsi(block.title), bold, 16, contentWidth), bold, 16);
      y -= 8;
    } else if ("heading" in block) {
      ensure(lineHeight(12) * 3);
      y -= 6;
      drawLines(wrapText(toWinAnsi(block.heading), bold, 12, contentWidth), bold, 12);
      y -= 2;
    } else if ("paragraph" in block) {
      const size = block.size ?? BODY;
      drawLines(wrapText(toWinAnsi(block.paragraph), regular, size, contentWidth), regular, size);
      y -= 4;
    } else if ("spacer" in block) {
      y -= block.spacer;
    } else if ("image" in block) {
      // A copy at offset 0: pdf-lib reads a JPEG through a DataView of the whole underlying buffer.
      const bytes = new Uint8Array(block.image.bytes);
      const image = await (block.image.type === "png" ? doc.embedPng(bytes) : doc.embedJpg(bytes)).catch(() => null);
      if (image) {
        const height = Math.min(block.height, image.height);
        const width = Math.min(contentWidth, (image.width / image.height) * height);
        const drawnHeight = (image.height / image.width) * width;
        ensure(drawnHeight);
        y -= drawnHeight;
        page.drawImage(image, { x: MARGIN, y, width, height: drawnHeight });
        y -= 6;
      }
    } else if ("fields" in block) {
      const labelWidth = Math.min(170, contentWidth * 0.35);
      for (const [label, value] of block.fields) {
        const labelLines = wrapText(toWinAnsi(label), bold, BODY, labelWidth - 8);
        const valueLines = wrapText(toWinAnsi(value), regular, BODY, contentWidth - labelWidth);
        const rows = Math.max(labelLines.length, valueLines.length);
        ensure(rows * lineHeight(BODY));
        const top = y;
        drawLines(labelLines, bold, BODY);
        const afterLabel = y;
        y = top;
        drawLines(valueLines, regular, BODY, MARGIN + labelWidth);
        y = Math.min(y, afterLabel);
      }
      y -= 4;
    } else {
      drawTable(block.table.columns, block.table.rows);
      y -= 6;
    }
  }

  function drawTable(columns: Column[], rows: string[][]) {
    const total = columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * contentWidth);
    const drawRow = (cells: string[], font: PDFFont, header: boolean) => {
      const wrapped = columns.map((_, i) => wrapText(toWinAnsi(cells[i] ?? ""), font, BODY, widths[i]! - 2 * CELL_PAD));
      const height = Math.max(...wrapped.map((l) => l.length)) * lineHeight(BODY) + 2 * CELL_PAD;
      const broke = ensure(height);
      if (broke && !header) drawRow(columns.map((c) => c.header), bold, true);
      if (header) {
        page.drawRectangle({ x: MARGIN, y: y - height, width: contentWidth, height, color: rgb(0.9, 0.9, 0.9) });
      }
      let x = MARGIN;
      wrapped.forEach((lines, i) => {
        const width = widths[i]!;
        lines.forEach((line, n) => {
          const textWidth = font.widthOfTextAtSize(line, BODY);
          const tx = columns[i]!.align === "right" ? x + width - CELL_PAD - textWidth : x + CELL_PAD;
          page.drawText(line, { x: tx, y: y - CELL_PAD - (n + 1) * lineHeight(BODY) + BODY * 0.3, size: BODY, font });
        });
        x += width;
      });
      page.drawLine({
        start: { x: MARGIN, y: y - height },
        end: { x: MARGIN + contentWidth, y: y - height },
        thickness: 0.5,
        color: rgb(0.6, 0.6, 0.6),
      });
      y -= height;
    };
    ensure(lineHeight(BODY) * 4);
    drawRow(columns.map((c) => c.header), bold, true);
    for (const row of rows) drawRow(row, regular, false);
  }

  const pages = doc.getPages();
  const total = Math.max(options.documentPages ?? 0, pages.length);
  pages.forEach((p, i) => {
    const foot = toWinAnsi(`${options.footer ? `${options.footer} — ` : ""}Página ${i + 1} de ${total}`);
    p.drawText(foot, { x: MARGIN, y: MARGIN - 20, size: 8, font: regular, color: rgb(0.3, 0.3, 0.3) });
  });
  return { bytes: await doc.save(), pages: pages.length };
}
