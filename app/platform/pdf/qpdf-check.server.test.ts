import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PDFDocument, PDFName, PDFString, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ACTIVE_CONTENT_RE, expandPdf, rawPdf, REFUSALS, writeFixtures, type Fixtures } from "../../../tests/support/pdfs";
import { createLimiter } from "./child.server";
import { inspectPdf } from "./inspect.server";
import { checkWithQpdf, qpdfAvailable } from "./qpdf-check.server";

/**
 * inspectPdf with `sanitizedCopy: "if-active"`: qpdf reads the file first and a clean file
 * gets no copy; everything else is pdf-lib's, with the same refusals and messages.
 */
let dir: string;
let f: Fixtures;
const out = (name: string) => path.join(dir, `out-${name}`);
const file = (name: string, bytes: Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
};
const check = (p: string) => checkWithQpdf(p, { maxPages: 2000, maxRssBytes: 512 * 1024 * 1024, cpuBudgetMs: 15_000 });

beforeAll(async () => {
  expect(await qpdfAvailable(), "qpdf is installed (scripts/ensure-system-packages.sh)").toBe(true);
  dir = mkdtempSync(path.join(tmpdir(), "cas-qpdf-check-"));
  f = await writeFixtures(path.join(dir, "in"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a file that is not a usable PDF is refused with the same message as by pdf-lib alone", () => {
  const cases = REFUSALS;
  test.each(cases)("%s → %s", async (name, code, message) => {
    const result = await inspectPdf(f[name], { sanitizedOutputPath: out(name), sanitizedCopy: "if-active" });
    expect(result).toMatchObject({ ok: false, code, message });
    expect(existsSync(out(name))).toBe(false);
  });
});

test("a clean PDF is read by qpdf alone: its page count, and no copy (it is its own sanitised copy)", async () => {
  expect(await check(f.normal)).toEqual({ kind: "clean", pages: 4 });
  const result = await inspectPdf(f.normal, { sanitizedOutputPath: out("normal"), sanitizedCopy: "if-active" });
  expect(result).toEqual({ ok: true, pages: 4 });
  expect(existsSync(out("normal"))).toBe(false);
});

test("an incremental update (objects and a cross-reference section appended, no second header) is accepted by either path", async () => {
  expect(await check(f.incrementalUpdate)).toEqual({ kind: "clean", pages: 1 });
  expect(await inspectPdf(f.incrementalUpdate, { sanitizedOutputPath: out("incremental"), sanitizedCopy: "if-active" })).toEqual({ ok: true, pages: 1 });
  expect(await inspectPdf(f.incrementalUpdate, { sanitizedOutputPath: out("incremental-pdflib") })).toMatchObject({ ok: true, pages: 1 });
});

test("two PDFs glued together are refused by the check itself, the second header found across its 1 MiB reads", async () => {
  expect(await check(f.concatenated)).toMatchObject({ kind: "refuse", code: "concatenated" });
  expect(await check(f.concatenatedAcrossChunks)).toEqual({ kind: "refuse", code: "concatenated", detail: `a second %PDF- header at byte ${1024 * 1024 - 2}` });
});

test("a PDF with active content goes to the pdf-lib sanitiser: a copy without any, https links kept", async () => {
  expect(await check(f.active)).toMatchObject({ kind: "defer", reason: expect.stringMatching(/^active content/) });
  const result = await inspectPdf(f.active, { sanitizedOutputPath: out("active"), sanitizedCopy: "if-active" });
  expect(result).toMatchObject({ ok: true, pages: 2, sanitizedSize: readFileSync(out("active")).length, deferred: expect.stringMatching(/^active content/) });
  const sanitised = readFileSync(expandPdf(out("active"), path.join(dir, "active-out.qdf")), "latin1");
  expect(sanitised.match(ACTIVE_CONTENT_RE)).toBeNull();
  expect(sanitised).toContain("https://www.gob.pe/migraciones");
});

test("each kind of active content alone is seen, names written with #xx escapes too", async () => {
  const page = (extra: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${extra} >>`;
  const withPage = (extra: string, catalogExtra = "", more: string[] = []) =>
    rawPdf([`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(extra), ...more]);
  const link = (action: string) => `/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A ${action} >>]`;
  const cases: Record<string, Buffer> = {
    openAction: withPage("", "/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"),
    escapedOpenAction: withPage("", "/Open#41ction 4 0 R", ["<< /S /J#61vaScript /J#53 (app.alert(1)) >>"]),
    namesJavaScript: withPage("", "/Names << /JavaScript 4 0 R >>", ["<< /Names [(a) << /S /JavaScript /JS (x) >>] >>"]),
    embeddedFiles: withPage("", "/Names << /EmbeddedFiles << /Names [] >> >>"),
    xfa: withPage("", "/AcroForm << /Fields [] /XFA 4 0 R >>", ["<< >>"]),
    pageAA: withPage("/AA << /O << /S /JavaScript /JS (x) >> >>"),
    launchLink: withPage(link("<< /S /Launch /F (cmd.exe) >>")),
    javascriptUri: withPage(link("<< /S /URI /URI (javascript:alert(1)) >>")),
    indirectJavascriptUri: withPage(link("4 0 R"), "", ["<< /S /URI /URI (javascript:alert(1)) >>"]),
    chainedNext: withPage(link("<< /S /URI /URI (https://www.gob.pe/) /Next << /S /JavaScript /JS (x) >> >>")),
    fileAttachment: withPage("/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS << /F (a.exe) >> >>]"),
    richMedia: withPage("/Annots [4 0 R]", "", ["<< /Type /Annot /Subtype /RichMedia /Rect [0 0 10 10] >>"]),
    outlineAction: withPage("", "/Outlines 4 0 R", ["<< /First 5 0 R /Last 5 0 R >>", "<< /Title (x) /Parent 4 0 R /A << /S /Launch /F (x) >> >>"]),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    expect(await check(file(`${name}.pdf`, bytes)), name).toMatchObject({ kind: "defer", reason: expect.stringMatching(/^active content/) });
  }
  // …and what the sanitiser keeps is clean: http(s) and mailto links, internal GoTo links.
  const clean = withPage(
    "/Annots [" +
      "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (https://www.gob.pe/) >> >> " +
      "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI <6D61696C746F3A6140622E7065> >> >> " +
      "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /GoTo /D [3 0 R /Fit] >> >>]",
  );
  expect(await check(file("links.pdf", clean))).toEqual({ kind: "clean", pages: 1 });
});

test("a large Flate stream is measured by decoding it (not refused, not sent to pdf-lib); a large JPEG is not decoded", async () => {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText("Escaneo", { x: 50, y: 780, size: 14, font });
  // Incompressible: ~600 KB compressed, a bound of 600 MB → decoded by qpdf and counted.
  const flate = doc.context.register(doc.context.flateStream(randomBytes(600 * 1024), { Type: "XObject", Subtype: "Image", Width: 800, Height: 768, ColorSpace: "DeviceGray", BitsPerComponent: 8 }));
  const jpeg = doc.context.register(doc.context.stream(randomBytes(2 * 1024 * 1024), { Type: "XObject", Subtype: "Image", Width: 1000, Height: 1000, ColorSpace: "DeviceGray", BitsPerComponent: 8, Filter: "DCTDecode" }));
  page.node.setXObject(PDFName.of("Im0"), flate);
  page.node.setXObject(PDFName.of("Im1"), jpeg);
  page.node.set(PDFName.of("Annots"), doc.context.obj([doc.context.obj({ Type: "Annot", Subtype: "Text", Rect: [0, 0, 10, 10], Contents: PDFString.of("nota") })]));
  const scan = file("scan.pdf", await doc.save());
  expect(await check(scan)).toEqual({ kind: "clean", pages: 1 });
});

test("a decompression bomb is refused by measuring it, well within the time bound, the event loop free", async () => {
  let maxLag = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 20);
    last = now;
  }, 20);
  const started = performance.now();
  const limiter = createLimiter(2);
  const [bomb, contentBomb, normal] = await Promise.all([
    inspectPdf(f.bomb, { sanitizedOutputPath: out("b1"), sanitizedCopy: "if-active", limiter }),
    inspectPdf(f.contentBomb, { sanitizedOutputPath: out("b2"), sanitizedCopy: "if-active", limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("b3"), sanitizedCopy: "if-active", limiter }),
  ]);
  clearInterval(ticker);
  expect(bomb).toMatchObject({ ok: false, code: "too_complex", detail: expect.stringMatching(/decodes to more than 64 MB/) });
  expect(contentBomb).toMatchObject({ ok: false, code: "too_complex", detail: expect.stringMatching(/decodes to more than 256 MB/) });
  expect(normal).toEqual({ ok: true, pages: 4 });
  expect(performance.now() - started).toBeLessThan(15_000);
  expect(maxLag).toBeLessThan(1000);
});

test("qpdf above its memory bound hands the file to pdf-lib, bounded in turn; past the time bound the file is refused", async () => {
  // The bomb's measuring takes seconds: qpdf (bound: half of 1 MB) is killed, then the pdf-lib child (1 MB).
  const memory = await inspectPdf(f.contentBomb, { sanitizedOutputPath: out("m"), sanitizedCopy: "if-active", maxRssBytes: 1024 * 1024 });
  expect(memory).toMatchObject({ ok: false, code: "too_complex", detail: expect.stringMatching(/^killed for memory/) });
  // Measuring the bomb's streams (256 MB decoded before the size check refuses it) takes qpdf well over
  // 50 ms of CPU: 200 ms was not always enough on a fast machine (it finished measuring first).
  const time = await inspectPdf(f.contentBomb, { sanitizedOutputPath: out("t"), sanitizedCopy: "if-active", timeoutMs: 50 });
  expect(time).toMatchObject({ ok: false, code: "too_complex", detail: expect.stringMatching(/^qpdf .*killed for time/) });
});

test("without qpdf, \"if-active\" is pdf-lib with a copy of every file", async () => {
  const result = await inspectPdf(f.normal, { sanitizedOutputPath: out("noqpdf"), sanitizedCopy: "if-active", qpdf: false });
  expect(result).toEqual({ ok: true, pages: 4, sanitizedSize: readFileSync(out("noqpdf")).length });
  expect((await PDFDocument.load(readFileSync(out("noqpdf")))).getPageCount()).toBe(4);
});

test("a qpdf check takes one unit of the limiter, a pdf-lib child two; a full queue answers busy", async () => {
  const limiter = createLimiter(2, 0);
  const [a, b] = await Promise.all([
    inspectPdf(f.normal, { sanitizedOutputPath: out("u1"), sanitizedCopy: "if-active", limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("u2"), sanitizedCopy: "if-active", limiter }),
  ]);
  expect([a, b]).toEqual([{ ok: true, pages: 4 }, { ok: true, pages: 4 }]); // side by side, no queue
  const [c, d] = await Promise.all([
    inspectPdf(f.normal, { sanitizedOutputPath: out("u3"), sanitizedCopy: "if-active", qpdf: false, limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("u4"), sanitizedCopy: "if-active", limiter }),
  ]);
  expect([c!.ok, d]).toEqual([true, { ok: false, code: "busy", message: expect.any(String), detail: expect.any(String) }]);
});

test("a full queue answers busy, deferred files included", async () => {
  const limiter = createLimiter(1, 1);
  const results = await Promise.all([
    inspectPdf(f.active, { sanitizedOutputPath: out("q1"), sanitizedCopy: "if-active", limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("q2"), sanitizedCopy: "if-active", limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("q3"), sanitizedCopy: "if-active", limiter }),
  ]);
  expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(["ok", "ok", "busy"]);
  expect(results[2]).toMatchObject({ message: "El servidor está procesando muchos archivos. Inténtelo de nuevo en unos minutos" });
});
