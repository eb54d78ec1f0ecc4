import {
  PDFDocument, StandardFonts, beginText, endText, moveText, rgb, setFontAndSize, showText, type PDFFont, type PDFOperator, type PDFPage,
} from "pdf-lib";

/**
 * The PDF of a published results list: a plain A4 table (Helvetica, WinAnsi). Characters the
 * standard font cannot encode become "?" (names keep their Spanish accents and ñ).
 */
export type TablaPdf = {
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
      page.drawText(fit(wb, tabla.titulo, 13, W - 2 * M), { x: M, y, size: 13, font: bold });
      y -= 18;
      for (const line of tabla.subtitulo) {
        page.drawText(fit(w, line, 9, W - 2 * M), { x: M, y, size: 9, font });
        y -= 12;
      }
      y -= 6;
    }
    let x = M;
    page.drawRectangle({ x: M - 2, y: y - 3, width: W - 2 * M + 4, height: lh, color: rgb(0.9, 0.9, 0.9) });
    for (const c of tabla.columnas) {
      page.drawText(fit(wb, c.titulo, size, c.ancho - 4), { x, y, size, font: bold });
      x += c.ancho;
    }
    y -= lh;
  };

  header();
  // The rows: one text object per row, written as raw operators (absolute positions via Td from the row's origin).
  let fontKey = page!.node.newFontDictionary(font.name, font.ref);
  for (const fila of tabla.filas) {
    if (y < M + 20) {
      header();
      fontKey = page!.node.newFontDictionary(font.name, font.ref);
    }
    const ops: PDFOperator[] = [beginText(), setFontAndSize(fontKey, size)];
    let x = M;
    let px = 0;
    let py = 0;
    tabla.columnas.forEach((c, i) => {
      const text = fit(w, fila[i] ?? "", size, c.ancho - 4);
      const dx = c.alinear === "derecha" ? c.ancho - 6 - w(text, size) : 0;
      ops.push(moveText(x + dx - px, y - py), showText(font.encodeText(text)));
      px = x + dx;
      py = y;
      x += c.ancho;
    });
    ops.push(endText());
    page!.pushOperators(...ops);
    y -= lh;
  }
  if (!tabla.filas.length) page!.drawText("No hay postulantes en esta lista.", { x: M, y, size: 9, font });
  const pages = doc.getPages();
  pages.forEach((p, i) =>
    p.drawText(fit(w, `${tabla.pie} · Página ${i + 1} de ${pages.length}`, 7.5, W - 2 * M), { x: M, y: M / 2, size: 7.5, font, color: rgb(0.3, 0.3, 0.3) }),
  );
  return doc.save({ useObjectStreams: true });
}
