import {
  PDFDocument, StandardFonts, beginText, endText, moveText, rgb, setFontAndSize, showText, type PDFFont, type PDFOperator, type PDFPage,
} from "pdf-lib";

/**
 * The PDF of a published results list: a plain A4 table (Helvetica, WinAnsi). Characters the
 * standard font cannot encode become "?" (names keep their Spanish accents and ñ). Column
 * headers, cells and the lines under the title wrap at word boundaries (never cut): a word
 * longer than its column is the only thing shortened, with "…".
 */
export type TablaPdf = {
  /** The entity's name, above the title. */
  entidad?: string;
  titulo: string;
  subtitulo: string[];
  columnas: { titulo: string; ancho: number; alinear?: "derecha" }[];
  filas: string[][];
  pie: string;
};

const WIN_ANSI_SAFE = /[^\x20-\x7e\xa0-\xff\u2013\u2014\u2018\u2019\u201c\u201d\u2022\u2026\u20ac]/g;
const safe = (s: string) => s.normalize("NFC").replace(WIN_ANSI_SAFE, "?");

/** Text width from cached per-character widths (thousands of cells: measuring each string through pdf-lib is slow). */
function measurer(font: PDFFont) {
  const cache = new Map<string, number>();
  return (text: string, size: number) => {
    let w = 0;
    for (const ch of text) {
      let cw = cache.get(ch);
      if (cw === undefined) cache.set(ch, (cw = font.widthOfTextAtSize(ch, 1)));
      w += cw;
    }
    return w * size;
  };
}

function fit(width: (t: string, size: number) => number, text: string, size: number, max: number): string {
  let t = safe(text);
  if (width(t, size) <= max) return t;
  while (t.length > 1 && width(`${t}…`, size) > max) t = t.slice(0, -1);
  return `${t}…`;
}

/** `text` in lines no wider than `max` (word wrap; a single over-long word is shortened). */
function wrap(width: (t: string, size: number) => number, text: string, size: number, max: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of safe(text).split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (width(next, size) <= max) line = next;
    else {
      if (line) lines.push(line);
      line = width(word, size) <= max ? word : fit(width, word, size, max);
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

export async function tablaPdf(tabla: TablaPdf): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(safe(tabla.titulo));
  doc.setProducer("CAS Online");
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const w = measurer(font);
  const wb = measurer(bold);
  const [W, H] = [595.28, 841.89];
  const M = 40;
  const size = 8.5;
  const lh = 13;
  let page: PDFPage;
  let y = 0;
  let n = 0;

  const header = () => {
    page = doc.addPage([W, H]);
    n++;
    y = H - M;
    if (n === 1) {
      if (tabla.entidad) {
        page.drawText(fit(wb, tabla.entidad, 10, W - 2 * M), { x: M, y, size: 10, font: bold });
        y -= 16;
      }
      for (const line of wrap(wb, tabla.titulo, 13, W - 2 * M)) {
        page.drawText(line, { x: M, y, size: 13, font: bold });
        y -= 16;
      }
      y -= 2;
      for (const par of tabla.subtitulo)
        for (const line of wrap(w, par, 9, W - 2 * M)) {
          page.drawText(line, { x: M, y, size: 9, font });
          y -= 12;
        }
      y -= 6;
    }
    const titulos = tabla.columnas.map((c) => wrap(wb, c.titulo, size, c.ancho - 4));
    const alto = Math.max(...titulos.map((t) => t.length)) * lh;
    page.drawRectangle({ x: M - 2, y: y - alto + lh - 3, width: W - 2 * M + 4, height: alto, color: rgb(0.9, 0.9, 0.9) });
    let x = M;
    tabla.columnas.forEach((c, i) => {
      titulos[i]!.forEach((line, j) => {
        const dx = c.alinear === "derecha" ? c.ancho - 6 - wb(line, size) : 0;
        page.drawText(line, { x: x + dx, y: y - j * lh, size, font: bold });
      });
      x += c.ancho;
    });
    y -= alto;
  };

  header();
  // The rows: one text object per row, written as raw operators (absolute positions via Td from the row's origin).
  let fontKey = page!.node.newFontDictionary(font.name, font.ref);
  for (const fila of tabla.filas) {
    const celdas = tabla.columnas.map((c, i) => wrap(w, fila[i] ?? "", size, c.ancho - 4));
    const alto = Math.max(...celdas.map((t) => t.length)) * lh;
    if (y - alto < M + 8) {
      header();
      fontKey = page!.node.newFontDictionary(font.name, font.ref);
    }
    const ops: PDFOperator[] = [beginText(), setFontAndSize(fontKey, size)];
    let x = M;
    let px = 0;
    let py = 0;
    tabla.columnas.forEach((c, i) => {
      celdas[i]!.forEach((text, j) => {
        const dx = c.alinear === "derecha" ? c.ancho - 6 - w(text, size) : 0;
        ops.push(moveText(x + dx - px, y - j * lh - py), showText(font.encodeText(text)));
        px = x + dx;
        py = y - j * lh;
      });
      x += c.ancho;
    });
    ops.push(endText());
    page!.pushOperators(...ops);
    y -= alto;
  }
  if (!tabla.filas.length) page!.drawText("No hay postulantes en esta lista.", { x: M, y, size: 9, font });
  const pages = doc.getPages();
  pages.forEach((p, i) =>
    p.drawText(fit(w, `${tabla.pie} · Página ${i + 1} de ${pages.length}`, 7.5, W - 2 * M), { x: M, y: M / 2, size: 7.5, font, color: rgb(0.3, 0.3, 0.3) }),
  );
  return doc.save({ useObjectStreams: true });
}
