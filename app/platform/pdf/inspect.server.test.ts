import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ACTIVE_CONTENT_RE, expandPdf, REFUSALS, writeFixtures, type Fixtures } from "../../../tests/support/pdfs";
import { createLimiter } from "./child.server";
import { inspectPdf, pdfWorkerPath } from "./inspect.server";

let dir: string;
let f: Fixtures;
const out = (name: string) => path.join(dir, `out-${name}`);

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "cas-pdf-"));
  f = await writeFixtures(path.join(dir, "in"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a file that is not a usable PDF is refused with its own message", () => {
  // The stream bomb has its own test below (the server keeps answering meanwhile).
  const cases = REFUSALS.filter(([name]) => name !== "bomb");
  test.each(cases)("%s → %s", async (name, code, message) => {
    const result = await inspectPdf(f[name], { sanitizedOutputPath: out(name) });
    expect(result).toMatchObject({ ok: false, code, message });
    expect(existsSync(out(name))).toBe(false);
  });
});

test("a normal PDF is accepted with its page count and a sanitised copy that reads whole", async () => {
  const result = await inspectPdf(f.normal, { sanitizedOutputPath: out("normal") });
  expect(result).toEqual({ ok: true, pages: 4, sanitizedSize: readFileSync(out("normal")).length });
  const copy = await PDFDocument.load(readFileSync(out("normal")));
  expect(copy.getPageCount()).toBe(4);
});

test("the sanitised copy carries no JavaScript, launch action, embedded file nor /AA, and keeps https links", async () => {
  const original = readFileSync(expandPdf(f.active, path.join(dir, "active.qdf")), "latin1");
  expect(original.match(ACTIVE_CONTENT_RE)?.length).toBeGreaterThan(10);

  const result = await inspectPdf(f.active, { sanitizedOutputPath: out("active") });
  expect(result).toMatchObject({ ok: true, pages: 2 });
  const sanitised = readFileSync(expandPdf(out("active"), path.join(dir, "active-out.qdf")), "latin1");
  expect(sanitised.match(ACTIVE_CONTENT_RE)).toBeNull();
  expect(sanitised).toContain("https://www.gob.pe/migraciones");
  expect(sanitised).not.toContain("/Next");
});

test("a decompression bomb is refused within the time bound while a normal inspection beside it succeeds and the server keeps answering", async () => {
  const limiter = createLimiter(2);
  let maxLag = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    maxLag = Math.max(maxLag, now - last - 20);
    last = now;
  }, 20);
  const started = performance.now();
  const [bomb, normal] = await Promise.all([
    inspectPdf(f.bomb, { sanitizedOutputPath: out("bomb"), limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("normal-2"), limiter }),
  ]);
  const elapsed = performance.now() - started;
  clearInterval(ticker);
  expect(bomb).toMatchObject({
    ok: false,
    code: "too_complex",
    message: "El archivo no se pudo procesar (es demasiado complejo o está dañado)",
  });
  expect(normal).toMatchObject({ ok: true, pages: 4 });
  // Within the inspection's own time bound (15 s), whatever the machine's load; the event
  // loop never blocks for long (the parse runs in the child process).
  expect(elapsed).toBeLessThan(15_000);
  expect(maxLag).toBeLessThan(1000);
});

test("a worker above the memory bound is killed and the file refused as too complex", async () => {
  // 1 MB: below what node itself needs, so the watcher must kill it.
  const result = await inspectPdf(f.normal, { sanitizedOutputPath: out("rss"), maxRssBytes: 1024 * 1024 });
  expect(result).toMatchObject({ ok: false, code: "too_complex" });
  expect(result.ok === false && result.detail).toMatch(/killed for memory/);
  expect(existsSync(out("rss"))).toBe(false);
});

test("a worker past its CPU-time bound is killed and the file refused as too complex", async () => {
  const result = await inspectPdf(f.normal, { sanitizedOutputPath: out("time"), timeoutMs: 5 });
  expect(result).toMatchObject({ ok: false, code: "too_complex" });
  expect(result.ok === false && result.detail).toMatch(/killed for time/);
});

test("no more PDF children run at once than the limiter allows, and a full queue answers busy", async () => {
  const limiter = createLimiter(1, 1);
  const results = await Promise.all([
    inspectPdf(f.normal, { sanitizedOutputPath: out("q1"), limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("q2"), limiter }),
    inspectPdf(f.normal, { sanitizedOutputPath: out("q3"), limiter }),
  ]);
  expect(results.map((r) => (r.ok ? "ok" : r.code))).toEqual(["ok", "ok", "busy"]);
  expect(results[2]).toMatchObject({ message: "El servidor está procesando muchos archivos. Inténtelo de nuevo en unos minutos" });
});

test("the limiter never runs more jobs than its concurrency", async () => {
  const limiter = createLimiter(2);
  let running = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 8 }, () =>
      limiter.run(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 10));
        running--;
      }),
    ),
  );
  expect(peak).toBe(2);
});

test("the worker is found beside the sources and, from the built bundle, under the working directory", () => {
  const root = path.resolve(import.meta.dirname, "../../..");
  const beside = path.join(root, "app/platform/pdf/pdf-worker.mjs");
  expect(pdfWorkerPath(pathToFileURL(path.join(root, "app/platform/pdf/inspect.server.ts")).href, "/nowhere")).toBe(beside);
  expect(pdfWorkerPath(pathToFileURL(path.join(root, "build/server/index.js")).href, root)).toBe(beside);
  expect(() => pdfWorkerPath("file:///nowhere/build/server/index.js", "/nowhere")).toThrow(/not found/);
});
