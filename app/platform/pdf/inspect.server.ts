import { rm } from "node:fs/promises";
import { BusyError, createLimiter, pdfScriptPath, runWatched, type Limiter } from "./child.server";
import { checkWithQpdf, qpdfAvailable } from "./qpdf-check.server";

/**
 * Is an uploaded file a usable PDF? Reads it whole in a CHILD PROCESS watched for memory
 * and time, refuses what cannot be used with a Spanish message, and provides a SANITISED
 * COPY (active content removed, pages copied into a fresh document) for the ficha. The
 * original is never changed.
 *
 *   const r = await inspectPdf(upload.path, { sanitizedOutputPath: tmp, sanitizedCopy: "if-active" });
 *   if (!r.ok) return invalid(formData, { archivo: r.message });   // r.code for the log
 *   r.pages; r.sanitizedSize   // undefined: no copy written, the original is clean
 *
 * Two ways, by `sanitizedCopy`:
 * - "always" (default): pdf-lib (pdf-worker.mjs) reads the file and always writes the copy.
 * - "if-active": native qpdf reads it first (qpdf-check.server.ts); a usable file without
 *   active content gets no copy — it is its own sanitised copy (`sanitizedSize` undefined).
 *   Everything else (active content, encryption, damage, odd files) goes on to pdf-lib as
 *   with "always" (`deferred` says why, for the log), so the refusals and their messages
 *   are pdf-lib's, but for decompression bombs that qpdf measures first (too_complex).
 *   Without the qpdf binary, "if-active" is "always".
 *
 * Bounds (PDF-FACTS.md): the pdf-lib child SIGKILLed above 512 MB RSS, qpdf above 128 MB
 * (the file then goes on to pdf-lib),
 * each stage after 15 s of CPU time ("too_complex"; 8 × that of wall clock as a backstop),
 * more than 2,000 pages refused;
 * pdfJobLimiter: 1 GB of PDF children at a time — two pdf-lib children or merges, or eight
 * qpdf checks —, beyond 100 waiting → "busy". Never throws for a bad FILE; throws only when
 * the worker itself cannot run (a server fault: answer 500).
 */
export type PdfErrorCode =
  | "empty"
  | "not_pdf"
  | "concatenated"
  | "encrypted"
  | "corrupt"
  | "too_complex"
  | "too_many_pages"
  | "busy";

export const MAX_PDF_PAGES = 2000;

export const PDF_ERROR_MESSAGES: Record<PdfErrorCode, string> = {
  empty: "El archivo está vacío",
  not_pdf: "El archivo no es un PDF válido",
  concatenated: "El archivo contiene varios PDF pegados uno tras otro. Envíe un solo PDF (para unir varios, use un programa que los combine)",
  encrypted: "El archivo está protegido con contraseña",
  corrupt: "El archivo PDF está dañado o incompleto",
  too_complex: "El archivo no se pudo procesar (es demasiado complejo o está dañado)",
  too_many_pages: `El archivo tiene demasiadas páginas (máximo ${MAX_PDF_PAGES})`,
  busy: "El servidor está procesando muchos archivos. Inténtelo de nuevo en unos minutos",
};

export type PdfInspection =
  | {
      ok: true;
      pages: number;
      /** Bytes of the copy written at sanitizedOutputPath; undefined when none was written ("if-active", a clean file). */
      sanitizedSize?: number;
      /** "if-active": why qpdf's check handed the file to pdf-lib (for the log). */
      deferred?: string;
    }
  | { ok: false; code: PdfErrorCode; message: string; /** for the log only */ detail: string };

export type InspectOptions = {
  sanitizedOutputPath: string;
  /** "always" (default): pdf-lib writes a copy of every file; "if-active": only of files with active content (see above). */
  sanitizedCopy?: "always" | "if-active";
  /** false: as if the qpdf binary were not installed (tests). */
  qpdf?: boolean;
  maxPages?: number;
  maxRssBytes?: number;
  timeoutMs?: number;
  limiter?: Limiter;
};

export const DEFAULT_MAX_RSS_BYTES = 512 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * Shared by inspection and merging, and counted in memory: 8 units of 128 MB. A pdf-lib
 * child (512 MB) or a merge takes 4 units — two at a time, as ever —, a qpdf check (128 MB)
 * 1 unit: eight at a time. Most of a clean file's check is starting qpdf and talking to the
 * runner, not CPU: when 50 uploads end together (bench/uploads.mjs), eight checks at a time
 * drain the queue ~55 ms sooner than four. 100 jobs waiting at most.
 */
export const pdfJobLimiter = createLimiter(8, 100);
export const PDF_WORKER_UNITS = 4;
export const QPDF_CHECK_UNITS = 1;
/** The qpdf check's memory bound, as a fraction of a pdf-lib child's (qpdf is ~7 × leaner; a 2,000-page file takes ~31 MB). */
const QPDF_MEMORY_SHARE = PDF_WORKER_UNITS / QPDF_CHECK_UNITS;

/** Where pdf-worker.mjs is: beside this module, or under the working directory (see pdfScriptPath). */
export function pdfWorkerPath(moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string {
  return pdfScriptPath("pdf-worker.mjs", moduleUrl, cwd);
}

function refused(code: PdfErrorCode, detail: string): PdfInspection {
  return { ok: false, code, message: PDF_ERROR_MESSAGES[code], detail };
}

/** Parses the worker's one JSON line; throws when there is none (the worker did not run). */
export function parseWorkerAnswer(stdout: string, stderr: string): Record<string, unknown> {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw new Error(`pdf worker gave no answer: ${stderr.slice(0, 500) || stdout.slice(0, 200)}`);
  }
}

export async function inspectPdf(inputPath: string, options: InspectOptions): Promise<PdfInspection> {
  const limiter = options.limiter ?? pdfJobLimiter;
  const maxRssBytes = options.maxRssBytes ?? DEFAULT_MAX_RSS_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxPages = options.maxPages ?? MAX_PDF_PAGES;
  const worker = pdfWorkerPath();
  const fast = options.sanitizedCopy === "if-active" && options.qpdf !== false && (await qpdfAvailable());
  let deferred: string | undefined;
  let result;
  try {
    if (fast) {
      // One unit: qpdf bounded to a quarter of the memory of a pdf-lib child.
      const check = await limiter.run(
        () => checkWithQpdf(inputPath, { maxPages, maxRssBytes: maxRssBytes / QPDF_MEMORY_SHARE, cpuBudgetMs: timeoutMs }),
        QPDF_CHECK_UNITS,
      );
      if (check.kind === "clean") return { ok: true, pages: check.pages };
      if (check.kind === "refuse") return refused(check.code, check.detail);
      deferred = check.reason;
    }
    result = await limiter.run(
      () =>
        runWatched(process.execPath, [worker, "inspect", inputPath, options.sanitizedOutputPath, String(maxPages)], {
          maxRssBytes,
          timeoutMs,
        }),
      PDF_WORKER_UNITS,
    );
  } catch (error) {
    if (error instanceof BusyError) return refused("busy", "PDF job queue full");
    throw error;
  }
  if (result.killedFor) {
    await rm(options.sanitizedOutputPath, { force: true });
    const mb = Math.round(result.peakRssBytes / 1024 / 1024);
    return refused("too_complex", `killed for ${result.killedFor} after ${Math.round(result.ms)} ms at ${mb} MB`);
  }
  if (result.exitCode !== 0) {
    // Killed by something else (the kernel's OOM killer) or crashed (stack overflow on a deep file).
    if (result.signal || /heap out of memory|Maximum call stack/i.test(result.stderr)) {
      await rm(options.sanitizedOutputPath, { force: true });
      return refused("too_complex", `worker ended with ${result.signal ?? result.exitCode}: ${result.stderr.slice(0, 200)}`);
    }
  }
  const answer = parseWorkerAnswer(result.stdout, result.stderr);
  if (answer.ok === true) {
    return { ok: true, pages: Number(answer.pages), sanitizedSize: Number(answer.sanitizedSize), ...(deferred ? { deferred } : {}) };
  }
  await rm(options.sanitizedOutputPath, { force: true });
  const code = String(answer.code);
  if (code in PDF_ERROR_MESSAGES) return refused(code as PdfErrorCode, String(answer.detail ?? ""));
  throw new Error(`pdf worker failed: ${String(answer.detail ?? code)}`);
}
