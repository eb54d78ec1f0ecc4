import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from "pdf-lib";

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

function fit(font: PDFFont, text: string, size: number, width: number): string {
  let t = safe(text);
  if (font.widthOfTextAtSize(t, size) <= width) return t;
  while (t.length > 1 && font.widthOfTextAtSize(`${t}…`, size) > width) t = t.slice(0, -1);
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
      page.drawText(fit(bold, tabla.titulo, 13, W - 2 * M), { x: M, y, size: 13, font: bold });
      y -= 18;
      for (const line of tabla.subtitulo) {
        page.drawText(fit(font, line, 9, W - 2 * M), { x: M, y, size: 9, font });
        y -= 12;
      }
      y -= 6;
    }
    let x = M;
    page.drawRectangle({ x: M - 2, y: y - 3, width: W - 2 * M + 4, height: lh, color: rgb(0.9, 0.9, 0.9) });
    for (const c of tabla.columnas) {
      page.drawText(fit(bold, c.titulo, size, c.ancho - 4), { x, y, size, font: bold });
      x += c.ancho;
    }
    y -= lh;
  };

  header();
  for (const fila of tabla.filas) {
    if (y < M + 20) header();
    let x = M;
    tabla.columnas.forEach((c, i) => {
      const text = fit(font, fila[i] ?? "", size, c.ancho - 4);
      const dx = c.alinear === "derecha" ? c.ancho - 6 - font.widthOfTextAtSize(text, size) : 0;
      page.drawText(text, { x: x + dx, y, size, font });
      x += c.ancho;
    });
    y -= lh;
  }
  if (!tabla.filas.length) page!.drawText("No hay postulantes en esta lista.", { x: M, y, size: 9, font });
  const pages = doc.getPages();
  pages.forEach((p, i) =>
    p.drawText(fit(font, `${tabla.pie} · Página ${i + 1} de ${pages.length}`, 7.5, W - 2 * M), { x: M, y: M / 2, size: 7.5, font, color: rgb(0.3, 0.3, 0.3) }),
  );
  return doc.save({ useObjectStreams: true });
}
