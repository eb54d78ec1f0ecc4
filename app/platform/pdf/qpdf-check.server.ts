import { execFile } from "node:child_process";
import { open } from "node:fs/promises";
import { promisify } from "node:util";
import { runWatched } from "./child.server";
import { ENVELOPE_TAIL_BYTES, envelopeProblem, pdfHeaderScanner } from "./envelope.mjs";

/**
 * The fast path of inspectPdf (`sanitizedCopy: "if-active"`): native qpdf reads the file
 * whole, in a watched child like the pdf-lib worker, and says whether it is a plain,
 * usable PDF WITHOUT active content. Such a file is its own sanitised copy: nothing is
 * rewritten. Anything else goes to the pdf-lib worker, which decides as it always did.
 *
 *   const r = await checkWithQpdf(path, { maxPages: 2000, maxRssBytes, cpuBudgetMs: 15_000 });
 *   r.kind === "clean"   → r.pages
 *   r.kind === "refuse"  → too_complex (qpdf killed for time, a stream decoding beyond
 *                          the bounds), concatenated (a second %PDF- header): r.detail for the log
 *   r.kind === "defer"   → the pdf-lib worker decides (r.reason for the log): active
 *                          content, encryption, a damaged file (qpdf warned), a file
 *                          outside the envelope rules, too many or no pages, qpdf above
 *                          its memory bound, odd output
 *
 * What qpdf is asked (PDF-FACTS.md: ~5× faster and ~7× leaner than pdf-lib):
 * 1. The envelope (envelope.mjs) from the first bytes and the last 128 KiB, read here;
 *    then the whole file, 1 MiB at a time, for a second `%PDF-` header (two PDFs glued together).
 * 2. `qpdf --json=2 --json-key=encrypt --json-key=pages --json-key=qpdf --json-stream-data=none`:
 *    every object (those inside object streams too) with its dictionary, the encryption
 *    status and the pages, without stream data. Exit 0 only: a warning (a reconstructed
 *    cross-reference table, a bad /Length…) sends the file to pdf-lib.
 * 3. Active content: the same rules as the sanitiser in pdf-worker.mjs, read from the
 *    objects; if the sanitiser would change anything, the sanitiser runs.
 * 4. Decoded sizes, the pdf-lib path's bounds (a stream 256 MB, object and cross-reference
 *    streams 64 MB, 2 GB in all) without decoding what cannot reach them: a stream's
 *    decoded size is at most its length times each generalized filter's worst ratio
 *    (Flate 1032, LZW 4096, RunLength 64, ASCII85 4). Streams whose bound passes their
 *    limit (at most 8 of them) are decoded by `qpdf --show-object=N --filtered-stream-data`
 *    with the output counted and cut at the limit (a bomb is refused as too_complex).
 *    Specialized filters (DCT, JPX, JBIG2, CCITT) are not decoded by qpdf when merging
 *    and are not measured, as in the pdf-lib path.
 */
export type QpdfCheck =
  | { kind: "clean"; pages: number }
  | { kind: "refuse"; code: "too_complex" | "concatenated"; detail: string }
  | { kind: "defer"; reason: string };

export type QpdfCheckOptions = {
  maxPages: number;
  maxRssBytes: number;
  /** CPU time all of the check's qpdf children may use together (ms); past it the file is too_complex. */
  cpuBudgetMs: number;
  /** The qpdf binary (tests). */
  qpdf?: string;
};

const MB = 1024 * 1024;
export const MAX_DECODED_STREAM = 256 * MB;
export const MAX_DECODED_STRUCTURE = 64 * MB;
export const MAX_DECODED_TOTAL = 2048 * MB;
/** JSON of the objects above this: the pdf-lib worker instead (it reads the file in its own process). */
const MAX_JSON_BYTES = 8 * MB;
const MAX_MEASURED_STREAMS = 8;

let qpdfFound: Promise<boolean> | undefined;

/** Whether the qpdf binary runs here (checked once). */
export function qpdfAvailable(): Promise<boolean> {
  qpdfFound ??= promisify(execFile)("qpdf", ["--version"], { timeout: 5000 }).then(
    () => true,
    () => false,
  );
  return qpdfFound;
}

export async function checkWithQpdf(file: string, options: QpdfCheckOptions): Promise<QpdfCheck> {
  const qpdf = options.qpdf ?? "qpdf";
  const envelope = await readEnvelope(file);
  if (envelope) return { kind: "defer", reason: `envelope: ${envelope}` };
  const second = await secondPdfHeader(file);
  if (second !== -1) return { kind: "refuse", code: "concatenated", detail: `a second %PDF- header at byte ${second}` };

  let cpuUsed = 0;
  const remaining = () => options.cpuBudgetMs - cpuUsed;
  if (remaining() <= 0) return { kind: "refuse", code: "too_complex", detail: "no CPU time left for qpdf" };
  const dump = await runWatched(
    qpdf,
    ["--json=2", "--json-key=encrypt", "--json-key=pages", "--json-key=qpdf", "--json-stream-data=none", "--", file],
    { maxRssBytes: options.maxRssBytes, timeoutMs: remaining(), maxStdout: MAX_JSON_BYTES },
  );
  cpuUsed += dump.cpuMs;
  // Above its memory bound (a quarter of a pdf-lib child's), qpdf hands over to pdf-lib, which
  // measures streams before it parses: a file pdf-lib would accept is not refused here.
  if (dump.killedFor === "memory") return { kind: "defer", reason: `qpdf --json killed for memory at ${Math.round(dump.peakRssBytes / MB)} MB` };
  if (dump.killedFor) return killed("qpdf --json", dump.killedFor, dump.ms, dump.peakRssBytes);
  if (dump.exitCode !== 0) return { kind: "defer", reason: `qpdf exit ${dump.exitCode}: ${dump.stderr.slice(0, 200)}` };
  if (dump.stdoutBytes >= MAX_JSON_BYTES) return { kind: "defer", reason: `qpdf JSON over ${MAX_JSON_BYTES} bytes` };
  let json: QpdfJson;
  try {
    json = JSON.parse(dump.stdout) as QpdfJson;
  } catch {
    return { kind: "defer", reason: "qpdf JSON unreadable" };
  }
  const objects = json.qpdf?.[1];
  if (!objects || typeof objects !== "object" || !Array.isArray(json.pages)) return { kind: "defer", reason: "qpdf JSON incomplete" };
  if (json.encrypt?.encrypted !== false) return { kind: "defer", reason: "encrypted" };
  const pages = json.pages.length;
  if (pages === 0 || pages > options.maxPages) return { kind: "defer", reason: `${pages} pages` };

  const pdf = new ObjectTable(objects);
  const active = pdf.activeContent();
  if (active) return { kind: "defer", reason: `active content: ${active}` };

  const { toMeasure, total } = pdf.decodedBounds();
  if (toMeasure.length > MAX_MEASURED_STREAMS) return { kind: "defer", reason: `${toMeasure.length} streams to measure` };
  let sum = total;
  for (const stream of toMeasure) {
    if (remaining() <= 0) return { kind: "refuse", code: "too_complex", detail: "killed for time while measuring streams" };
    const measured = await runWatched(qpdf, [`--show-object=${stream.id}`, "--filtered-stream-data", "--", file], {
      maxRssBytes: options.maxRssBytes,
      timeoutMs: remaining(),
      stdoutLimitBytes: stream.limit,
    });
    cpuUsed += measured.cpuMs;
    if (measured.killedFor === "output") {
      return { kind: "refuse", code: "too_complex", detail: `object ${stream.id} decodes to more than ${stream.limit / MB} MB` };
    }
    if (measured.killedFor === "memory") return { kind: "defer", reason: `qpdf decoding object ${stream.id} killed for memory` };
    if (measured.killedFor) return killed(`qpdf --show-object=${stream.id}`, measured.killedFor, measured.ms, measured.peakRssBytes);
    if (measured.exitCode !== 0) return { kind: "defer", reason: `qpdf decoding object ${stream.id}: exit ${measured.exitCode}` };
    sum += measured.stdoutBytes;
  }
  if (sum > MAX_DECODED_TOTAL) return { kind: "defer", reason: "streams may decode to more than 2 GB" };
  return { kind: "clean", pages };
}

function killed(what: string, reason: string, ms: number, peakRssBytes: number): QpdfCheck {
  return { kind: "refuse", code: "too_complex", detail: `${what} killed for ${reason} after ${Math.round(ms)} ms at ${Math.round(peakRssBytes / MB)} MB` };
}

/** The envelope rules on the first bytes and the last 128 KiB; a reason to defer, or undefined. */
async function readEnvelope(file: string): Promise<string | undefined> {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 8));
    await handle.read(head, 0, head.length, 0);
    const end = Buffer.alloc(Math.min(size, ENVELOPE_TAIL_BYTES));
    await handle.read(end, 0, end.length, size - end.length);
    const problem = envelopeProblem(head, end, size);
    if (problem === undefined) return undefined;
    return problem === "unknown" ? "no %%EOF in the last 128 KiB" : `${problem.code} (${problem.detail})`;
  } finally {
    await handle.close();
  }
}

/** The offset of a `%PDF-` header past byte 0, or -1 (pdfHeaderScanner over the whole file). */
async function secondPdfHeader(file: string): Promise<number> {
  const scanner = pdfHeaderScanner();
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(MB);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return -1;
      const at = scanner.push(buffer.subarray(0, bytesRead));
      if (at !== -1) return at;
    }
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------- qpdf JSON v2

/** JSON v2 values: names "/Name", strings "u:text" or "b:hex", references "12 0 R", numbers, arrays, dictionaries. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };
type Dict = { [key: string]: Value };
type Entry = { value?: Value; stream?: { dict?: Dict } };
type QpdfJson = {
  pages?: unknown[];
  encrypt?: { encrypted?: boolean };
  qpdf?: [unknown, Record<string, Entry>];
};

const REF = /^\d+ \d+ R$/;
const isDict = (v: Value | undefined): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);
const isName = (v: Value | undefined): v is string => typeof v === "string" && v.startsWith("/");

/** Keys whose value is active content wherever they appear (pdf-worker.mjs FORBIDDEN_KEYS). */
const FORBIDDEN_KEYS = ["/AA", "/JS", "/OpenAction", "/EF", "/RichMediaContent", "/XFA", "/Collection"];
/** Annotation types that play media, hold files or run code (pdf-worker.mjs FORBIDDEN_ANNOTS). */
const FORBIDDEN_ANNOTS = new Set(["/FileAttachment", "/Movie", "/Sound", "/Screen", "/RichMedia", "/3D"]);

/** Worst decoded/encoded ratio of each generalized filter (the ones qpdf decodes when it writes). */
const FILTER_RATIO: Record<string, number> = {
  "/FlateDecode": 1032,
  "/Fl": 1032,
  "/LZWDecode": 4096,
  "/LZW": 4096,
  "/RunLengthDecode": 64,
  "/RL": 64,
  "/ASCII85Decode": 4,
  "/A85": 4,
  "/ASCIIHexDecode": 1,
  "/AHx": 1,
};

function text(v: Value | undefined): string | undefined {
  if (typeof v !== "string") return undefined;
  if (v.startsWith("u:")) return v.slice(2);
  if (v.startsWith("b:")) return Buffer.from(v.slice(2), "hex").toString("latin1");
  return undefined;
}

class ObjectTable {
  constructor(private readonly objects: Record<string, Entry>) {}

  /** A reference's object (a stream's dictionary), anything else as it is. */
  resolve(v: Value | undefined): Value | undefined {
    if (typeof v !== "string" || !REF.test(v)) return v;
    const entry = this.objects[`obj:${v}`];
    return entry?.value ?? entry?.stream?.dict ?? null;
  }

  /** The first mark of active content, described for the log; undefined when there is none. */
  activeContent(): string | undefined {
    for (const [id, entry] of Object.entries(this.objects)) {
      const found = this.activeIn(entry.value ?? entry.stream?.dict ?? null);
      if (found) return `${found} in ${id}`;
    }
    return undefined;
  }

  private activeIn(v: Value | undefined): string | undefined {
    if (Array.isArray(v)) {
      for (const item of v) {
        const found = this.activeIn(item);
        if (found) return found;
      }
      return undefined;
    }
    if (!isDict(v)) return undefined;
    for (const key of FORBIDDEN_KEYS) if (key in v) return key;
    if ("/A" in v && !this.actionAllowed(this.resolve(v["/A"]))) return "/A";
    if ("/S" in v && "/Next" in v) return "/Next";
    const names = this.resolve(v["/Names"]);
    if (isDict(names) && ("/JavaScript" in names || "/EmbeddedFiles" in names)) return "/Names";
    const annots = this.resolve(v["/Annots"]);
    if (Array.isArray(annots) && annots.some((a) => !this.annotationAllowed(this.resolve(a)))) return "/Annots";
    for (const value of Object.values(v)) {
      const found = this.activeIn(value);
      if (found) return found;
    }
    return undefined;
  }

  /** pdf-worker.mjs actionAllowed: /GoTo, or /URI to http, https or mailto. */
  private actionAllowed(action: Value | undefined): boolean {
    if (!isDict(action)) return false;
    const type = this.resolve(action["/S"]);
    if (type === "/GoTo") return true;
    if (type !== "/URI") return false;
    const uri = text(this.resolve(action["/URI"]));
    return uri !== undefined && /^(https?:|mailto:)/i.test(uri.trim());
  }

  private annotationAllowed(annot: Value | undefined): boolean {
    if (!isDict(annot)) return false;
    const subtype = this.resolve(annot["/Subtype"]);
    if (isName(subtype) && FORBIDDEN_ANNOTS.has(subtype)) return false;
    if ("/A" in annot && !this.actionAllowed(this.resolve(annot["/A"]))) return false;
    return true;
  }

  /**
   * Streams whose worst-case decoded size passes their limit (to be measured), and the sum
   * of the worst cases of the others.
   */
  decodedBounds(): { toMeasure: Array<{ id: string; limit: number }>; total: number } {
    const toMeasure: Array<{ id: string; limit: number }> = [];
    let total = 0;
    for (const [key, entry] of Object.entries(this.objects)) {
      const dict = entry.stream?.dict;
      if (!dict || !key.startsWith("obj:")) continue;
      const filter = this.resolve(dict["/Filter"]);
      const filters = (Array.isArray(filter) ? filter.map((f) => this.resolve(f)) : filter === undefined || filter === null ? [] : [filter]);
      if (filters.length === 0) continue; // stored as is: its length is its size
      if (!filters.every((f) => isName(f) && f in FILTER_RATIO)) continue; // specialized: neither decoded nor measured
      const length = this.resolve(dict["/Length"]);
      const ratio = filters.reduce<number>((r, f) => r * FILTER_RATIO[f as string]!, 1);
      const bound = typeof length === "number" && length >= 0 ? length * ratio : Infinity;
      const type = this.resolve(dict["/Type"]);
      const limit = type === "/ObjStm" || type === "/XRef" ? MAX_DECODED_STRUCTURE : MAX_DECODED_STREAM;
      const [num, gen] = key.slice("obj:".length).split(" ");
      if (bound > limit) toMeasure.push({ id: `${num},${gen}`, limit });
      else total += bound;
    }
    return { toMeasure, total };
  }
}
