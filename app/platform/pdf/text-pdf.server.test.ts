import { inflateSync } from "node:zlib";
import { PDFDocument, PDFRawStream } from "pdf-lib";
import { expect, test } from "vitest";
import { renderTextPdf, toWinAnsi } from "./text-pdf.server";

/** The text a pdf-lib page draws: its content streams, hex strings decoded as WinAnsi. */
async function drawnText(bytes: Uint8Array): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  let text = "";
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const content = inflateSync(object.contents).toString("latin1");
    for (const [, hex] of content.matchAll(/<([0-9A-Fa-f]+)> Tj/g)) text += `${Buffer.from(hex!, "hex").toString("latin1")}\n`;
  }
  return text;
}

test("Spanish letters and signs are drawn as they are", async () => {
  const { bytes } = await renderTextPdf([{ title: "Ficha de Postulación" }, { paragraph: "¿Señor Núñez? N° 12 — año 2026 ¡Sí! €" }]);
  const text = await drawnText(bytes);
  expect(text).toContain("Ficha de Postulación");
  expect(text).toContain("¿Señor Núñez? N° 12");
});

test("characters outside WinAnsi (emoji, CJK, other scripts) are replaced, never a crash", async () => {
  expect(toWinAnsi("José Ñuñez ¿° 😀 文件.pdf")).toBe("José Ñuñez ¿° ? ??.pdf");
  expect(toWinAnsi("Łódź ő ﬁn")).toBe("?ódz o fin");
  expect(toWinAnsi("a\u0000b\tc\u200bd")).toBe("ab c?d");
  const { bytes } = await renderTextPdf([
    { fields: [["Archivo", "😀📄 履歴書 résumé.pdf"]] },
    { table: { columns: [{ header: "Archivo", width: 1 }], rows: [["Ελληνικά 🙂"]] } },
  ]);
  expect(await drawnText(bytes)).toContain("? ??? résumé.pdf");
});

test("a long table breaks across pages and repeats its header; long words (SHA-256) wrap inside their cell", async () => {
  const sha = "a".repeat(64);
  const rows = Array.from({ length: 80 }, (_, i) => [`Documento ${i + 1} con un nombre bastante largo para que se parta en dos líneas`, sha, "1-3"]);
  const { bytes, pages } = await renderTextPdf([
    { title: "Constancia" },
    { table: { columns: [{ header: "Documento", width: 3 }, { header: "SHA-256", width: 3 }, { header: "Páginas", width: 1, align: "right" }], rows } },
  ]);
  expect(pages).toBeGreaterThan(2);
  const text = await drawnText(bytes);
  expect(text.match(/^Páginas$/gm)?.length).toBe(pages);
  expect(text).toContain(`Página ${pages} de ${pages}`);
  expect(text).not.toContain(sha);
  expect(text.replace(/\n/g, "")).toContain(sha);
  expect((await PDFDocument.load(bytes)).getPageCount()).toBe(pages);
});

test("the footer counts the whole document's pages (a cover before others) and the metadata is set", async () => {
  const createdAt = new Date("2026-11-26T15:04:05Z");
  const { bytes, pages } = await renderTextPdf([{ title: "Ficha de Postulación" }], {
    title: "Ficha de Postulación N° 2026-000007",
    author: "Superintendencia Nacional de Migraciones",
    createdAt,
    footer: "Ficha N° 2026-000007",
    documentPages: 15,
  });
  expect(pages).toBe(1);
  // drawnText decodes as latin1, where WinAnsi's em dash (0x97) is not "—".
  expect(await drawnText(bytes)).toMatch(/Ficha N° 2026-000007 \W Página 1 de 15/);
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  expect(doc.getTitle()).toBe("Ficha de Postulación N° 2026-000007");
  expect(doc.getAuthor()).toBe("Superintendencia Nacional de Migraciones");
  expect(doc.getCreationDate()?.toISOString()).toBe(createdAt.toISOString());
  // Without documentPages, its own count.
  expect(await drawnText((await renderTextPdf([{ title: "Constancia" }])).bytes)).toContain("Página 1 de 1");
});
