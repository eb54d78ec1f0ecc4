import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ACTIVE_CONTENT_RE, expandPdf, writeFixtures, type Fixtures } from "../../../tests/support/pdfs";
import { inspectPdf } from "./inspect.server";
import { mergePdfs, pageRanges, qpdfAvailable } from "./merge.server";
import { renderTextPdf } from "./text-pdf.server";

let dir: string;
let f: Fixtures;
let clean: { normal: string; active: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cas-merge-test-"));
  f = await writeFixtures(path.join(dir, "in"));
  clean = { normal: path.join(dir, "normal.clean.pdf"), active: path.join(dir, "active.clean.pdf") };
  expect(await inspectPdf(f.normal, { sanitizedOutputPath: clean.normal })).toMatchObject({ ok: true, pages: 4 });
  expect(await inspectPdf(f.active, { sanitizedOutputPath: clean.active })).toMatchObject({ ok: true, pages: 2 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("page ranges are consecutive and 1-based", () => {
  expect(pageRanges([1, 4, 2])).toEqual([
    { from: 1, to: 1 },
    { from: 2, to: 5 },
    { from: 6, to: 7 },
  ]);
});

test("qpdf is installed here (scripts/ensure-system-packages.sh), so the fast engine is the default", async () => {
  expect(await qpdfAvailable()).toBe(true);
});

describe.each(["qpdf", "pdf-lib"] as const)("merging with %s", (engine) => {
  test("the ficha is the cover then each part in order, with each part's page range", async () => {
    const cover = await renderTextPdf([{ title: "Ficha de Postulación" }, { paragraph: "Portada" }]);
    const out = path.join(dir, `ficha-${engine}.pdf`);
    const result = await mergePdfs(
      [{ bytes: cover.bytes, pages: cover.pages }, { path: clean.normal, pages: 4 }, { path: clean.active }, { path: clean.normal }],
      out,
      { engine },
    );
    expect(result).toMatchObject({ engine, pages: 11 });
    expect(result.ranges).toEqual([
      { from: 1, to: 1 },
      { from: 2, to: 5 },
      { from: 6, to: 7 },
      { from: 8, to: 11 },
    ]);
    const merged = await PDFDocument.load(readFileSync(out));
    expect(merged.getPageCount()).toBe(11);
    expect(result.size).toBe(readFileSync(out).length);
  });

  test("infoFromFirst keeps the cover's Title, Author and CreationDate in the merged file", async () => {
    const createdAt = new Date("2026-11-26T15:04:05Z");
    const cover = await renderTextPdf([{ title: "Ficha de Postulación" }], {
      title: "Ficha de Postulación N° 2026-000001",
      author: "Superintendencia Nacional de Migraciones",
      createdAt,
    });
    const out = path.join(dir, `info-${engine}.pdf`);
    await mergePdfs([{ bytes: cover.bytes }, { path: clean.normal }], out, { engine, infoFromFirst: true });
    const merged = await PDFDocument.load(readFileSync(out), { updateMetadata: false });
    expect(merged.getTitle()).toBe("Ficha de Postulación N° 2026-000001");
    expect(merged.getAuthor()).toBe("Superintendencia Nacional de Migraciones");
    expect(merged.getCreationDate()?.toISOString()).toBe(createdAt.toISOString());
    expect(merged.getPageCount()).toBe(1 + 4);
  });

  test("the ficha carries no active content even when an upload had it", async () => {
    const out = path.join(dir, `active-${engine}.pdf`);
    await mergePdfs([{ path: clean.normal }, { path: clean.active }], out, { engine });
    const text = readFileSync(expandPdf(out, path.join(dir, `active-${engine}.qdf`)), "latin1");
    expect(text.match(ACTIVE_CONTENT_RE)).toBeNull();
  });

  test("a wrong page count given by the caller is caught, and no output is left", async () => {
    const out = path.join(dir, `wrong-${engine}.pdf`);
    await expect(mergePdfs([{ path: clean.normal, pages: 3 }], out, { engine })).rejects.toThrow(/pages/);
    expect(() => readFileSync(out)).toThrow();
  });
});
