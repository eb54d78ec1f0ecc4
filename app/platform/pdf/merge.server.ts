import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { runWatched, type Limiter } from "./child.server";
import { parseWorkerAnswer, PDF_WORKER_UNITS, pdfJobLimiter, pdfWorkerPath } from "./inspect.server";
import { qpdfAvailable } from "./qpdf-check.server";

/**
 * One PDF from several, in order (the ficha: a cover, then every upload's sanitised copy).
 * Native `qpdf --empty --pages … --` when the qpdf binary is installed (Debian `qpdf`:
 * 5× faster and 7× lighter than pdf-lib, PDF-FACTS.md), else pdf-lib copyPages in the
 * PDF worker. Either way in a child process watched for memory and time, counted
 * against the same two-at-a-time limiter as the inspections.
 *
 *   const cover = await renderTextPdf([...]);
 *   const r = await mergePdfs([{ bytes: cover.bytes, pages: cover.pages },
 *                              { path: "/tmp/dni.pdf", pages: 2 }, { path: "/tmp/cv.pdf" }], outPath);
 *   r.ranges  // [{ from: 1, to: 1 }, { from: 2, to: 3 }, { from: 4, to: 9 }] — 1-based, per part
 *
 * Inputs must be files inspectPdf passed — its sanitised copies, or originals it found
 * free of active content: merging does not remove active content by itself. `pages` is optional (counted when missing) and checked against the
 * output's total. Failures throw (a server fault: the inputs were already known good).
 */
export type MergePart = ({ path: string } | { bytes: Uint8Array }) & { pages?: number };
export type PageRange = { from: number; to: number };
export type MergeResult = { pages: number; ranges: PageRange[]; size: number; engine: "qpdf" | "pdf-lib" };
export type MergeOptions = {
  engine?: "auto" | "qpdf" | "pdf-lib";
  maxRssBytes?: number;
  timeoutMs?: number;
  limiter?: Limiter;
  /**
   * Keep the first part's document information (Title, Author, CreationDate…): the ficha's
   * cover carries the ficha's. Only for a first part we generated (qpdf keeps that file's
   * whole catalog, not only its pages).
   */
  infoFromFirst?: boolean;
};

export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MergeError";
  }
}

export { qpdfAvailable };

/** Page ranges of consecutive parts, 1-based. */
export function pageRanges(counts: number[]): PageRange[] {
  let next = 1;
  return counts.map((count) => {
    const range = { from: next, to: next + count - 1 };
    next += count;
    return range;
  });
}

export async function mergePdfs(parts: MergePart[], outputPath: string, options: MergeOptions = {}): Promise<MergeResult> {
  if (parts.length === 0) throw new MergeError("nothing to merge");
  const engine = options.engine === "qpdf" || options.engine === "pdf-lib" ? options.engine : (await qpdfAvailable()) ? "qpdf" : "pdf-lib";
  const limiter = options.limiter ?? pdfJobLimiter;
  const watch = { maxRssBytes: options.maxRssBytes ?? 1024 * 1024 * 1024, timeoutMs: options.timeoutMs ?? 60_000 };
  const scratch = parts.some((p) => "bytes" in p) ? await mkdtemp(path.join(tmpdir(), "cas-merge-")) : undefined;
  try {
    const files = await Promise.all(
      parts.map(async (part, i) => {
        if ("path" in part) return part.path;
        const file = path.join(scratch!, `part-${i}.pdf`);
        await writeFile(file, part.bytes);
        return file;
      }),
    );
    const run = (command: string, args: string[]) =>
      limiter.run(async () => {
        const result = await runWatched(command, args, watch);
        if (result.killedFor) throw new MergeError(`${path.basename(command)} killed for ${result.killedFor}`);
        return result;
      }, PDF_WORKER_UNITS);

    let counts: number[];
    if (engine === "qpdf") {
      const primary = options.infoFromFirst ? [files[0]!] : ["--empty"];
      const args = [...primary, "--warning-exit-0", "--pages", ...files.flatMap((f) => [f, "1-z"]), "--", outputPath];
      const [merged, ...known] = await Promise.all([
        run("qpdf", args),
        ...parts.map((part, i) => (part.pages !== undefined ? Promise.resolve(part.pages) : countPages(files[i]!))),
      ]);
      if (merged.exitCode !== 0) throw new MergeError(`qpdf failed (${merged.exitCode}): ${merged.stderr.slice(0, 300)}`);
      counts = known as number[];
      const total = await countPages(outputPath);
      if (total !== counts.reduce((a, b) => a + b, 0)) {
        throw new MergeError(`merged ${total} pages, expected ${counts.join("+")}`);
      }
    } else {
      const mode = options.infoFromFirst ? "merge-info-from-first" : "merge";
      const result = await run(process.execPath, [pdfWorkerPath(), mode, outputPath, ...files]);
      const answer = parseWorkerAnswer(result.stdout, result.stderr);
      if (answer.ok !== true) throw new MergeError(`pdf-lib merge failed: ${String(answer.detail ?? answer.code)}`);
      counts = answer.pages as number[];
      parts.forEach((part, i) => {
        if (part.pages !== undefined && part.pages !== counts[i]) {
          throw new MergeError(`part ${i} has ${counts[i]} pages, expected ${part.pages}`);
        }
      });
    }
    const { size } = await stat(outputPath);
    return { pages: counts.reduce((a, b) => a + b, 0), ranges: pageRanges(counts), size, engine };
  } catch (error) {
    await rm(outputPath, { force: true });
    throw error;
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}

/** Page count with qpdf (reads the cross-reference table and page tree only). */
async function countPages(file: string): Promise<number> {
  const result = await runWatched("qpdf", ["--show-npages", file], { maxRssBytes: 512 * 1024 * 1024, timeoutMs: 15_000 });
  const pages = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(pages)) {
    throw new MergeError(`qpdf --show-npages failed: ${result.stderr.slice(0, 200)}`);
  }
  return pages;
}
