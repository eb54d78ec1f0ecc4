import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BusyError, createLimiter, runWatched, type Limiter } from "./child.server";

/**
 * Is an uploaded file a usable PDF? Reads it whole with pdf-lib in a CHILD PROCESS
 * (pdf-worker.mjs) watched for memory and time, refuses what cannot be used with a
 * Spanish message, and writes a SANITISED COPY (active content removed, pages copied
 * into a fresh document) for the ficha. The original is never changed.
 *
 *   const r = await inspectPdf(upload.path, { sanitizedOutputPath: tmp });
 *   if (!r.ok) return invalid(formData, { archivo: r.message });   // r.code for the log
 *   r.pages, r.sanitizedSize
 *
 * Bounds (PDF-FACTS.md): child SIGKILLed above 512 MB RSS or after 15 s ("too_complex"),
 * more than 2,000 pages refused, at most 2 children at a time (shared with the merger;
 * beyond 100 waiting → "busy"). Never throws for a bad FILE; throws only when the worker
 * itself cannot run (a server fault: answer 500).
 */
export type PdfErrorCode =
  | "empty"
  | "not_pdf"
  | "encrypted"
  | "corrupt"
  | "too_complex"
  | "too_many_pages"
  | "busy";

export const MAX_PDF_PAGES = 2000;

export const PDF_ERROR_MESSAGES: Record<PdfErrorCode, string> = {
  empty: "El archivo está vacío",
  not_pdf: "El archivo no es un PDF válido",
  encrypted: "El archivo está protegido con contraseña",
  corrupt: "El archivo PDF está dañado o incompleto",
  too_complex: "El archivo no se pudo procesar (es demasiado complejo o está dañado)",
  too_many_pages: `El archivo tiene demasiadas páginas (máximo ${MAX_PDF_PAGES})`,
  busy: "El servidor está procesando muchos archivos. Inténtelo de nuevo en unos minutos",
};

export type PdfInspection =
  | { ok: true; pages: number; sanitizedSize: number }
  | { ok: false; code: PdfErrorCode; message: string; /** for the log only */ detail: string };

export type InspectOptions = {
  sanitizedOutputPath: string;
  maxPages?: number;
  maxRssBytes?: number;
  timeoutMs?: number;
  limiter?: Limiter;
};

export const DEFAULT_MAX_RSS_BYTES = 512 * 1024 * 1024;
export const DEFAULT_TIMEOUT_MS = 15_000;

/** Shared by inspection and merging: two PDF children at a time, 100 waiting at most. */
export const pdfJobLimiter = createLimiter(2, 100);

/**
 * Where pdf-worker.mjs is. Beside this module when running from the sources (tests, dev);
 * from the Vite SSR bundle (build/server/index.js) it is not copied, so the sources'
 * path under the working directory is the fallback (`npm start` runs from the project root).
 */
export function pdfWorkerPath(moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string {
  const candidates = [
    path.join(path.dirname(fileURLToPath(moduleUrl)), "pdf-worker.mjs"),
    path.join(cwd, "app", "platform", "pdf", "pdf-worker.mjs"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`pdf-worker.mjs not found (looked in ${candidates.join(", ")})`);
  return found;
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
  const worker = pdfWorkerPath();
  let result;
  try {
    result = await limiter.run(() =>
      runWatched(
        process.execPath,
        [worker, "inspect", inputPath, options.sanitizedOutputPath, String(options.maxPages ?? MAX_PDF_PAGES)],
        { maxRssBytes, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS },
      ),
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
    return { ok: true, pages: Number(answer.pages), sanitizedSize: Number(answer.sanitizedSize) };
  }
  await rm(options.sanitizedOutputPath, { force: true });
  const code = String(answer.code);
  if (code in PDF_ERROR_MESSAGES) return refused(code as PdfErrorCode, String(answer.detail ?? ""));
  throw new Error(`pdf worker failed: ${String(answer.detail ?? code)}`);
}
