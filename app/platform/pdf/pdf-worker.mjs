#!/usr/bin/env node
/**
 * The PDF child process. Never imported by the app: spawned by inspect.server.ts and
 * merge.server.ts (through child.server.ts, which watches its memory and time and
 * SIGKILLs it above the bounds). Plain JavaScript so that it runs the same from the
 * TypeScript sources (tests, dev) and next to the Vite SSR bundle (production).
 *
 *   node pdf-worker.mjs inspect <input> <sanitizedOutput> <maxPages>
 *     → {"ok":true,"pages":N,"sanitizedSize":B} or {"ok":false,"code":"…","detail":"…"}
 *   node pdf-worker.mjs merge <output> <input1> <input2> …
 *     → {"ok":true,"pages":[n1,n2,…]}
 *   node pdf-worker.mjs merge-info-from-first <output> <input1> …   (the same, keeping input1's Title, Author, dates)
 *
 * The answer is ONE JSON line on stdout; exit code 0 whenever a JSON line was written.
 * Codes: empty, not_pdf, encrypted, corrupt, too_many_pages, too_complex, internal.
 */
import { readFile, writeFile } from "node:fs/promises";
import { createInflate } from "node:zlib";
// The library's single-file build: the package's main entry (cjs/, hundreds of modules)
// takes about 3 × longer to load, and every child pays that start.
import pdfLib from "pdf-lib/dist/pdf-lib.min.js";
import { envelopeProblem, pdfHeaderScanner } from "./envelope.mjs";

const { PDFDocument, PDFName, PDFDict, PDFArray, PDFRef, PDFRawStream, PDFStream, PDFString, PDFHexString } = pdfLib;

const N = (name) => PDFName.of(name);

/** Annotation types that play media, hold files or run code. */
const FORBIDDEN_ANNOTS = new Set(["FileAttachment", "Movie", "Sound", "Screen", "RichMedia", "3D"]);
/** Keys whose value is active content wherever they appear (catalog, page, annotation, field, file spec). */
const FORBIDDEN_KEYS = ["AA", "JS", "OpenAction", "EF", "RichMediaContent", "XFA", "Collection"];
/** A single Flate stream may not decode to more than this (a content-stream "bomb" would hang viewers and qpdf). */
const MAX_DECODED_STREAM = 256 * 1024 * 1024;
const MAX_DECODED_TOTAL = 2 * 1024 * 1024 * 1024;

function answer(value) {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

class Refusal extends Error {
  constructor(code, detail) {
    super(detail ?? code);
    this.code = code;
  }
}

const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** Checks the bytes around the PDF body: what a PDF parser alone would let through (envelope.mjs). */
function checkEnvelope(bytes) {
  const problem = envelopeProblem(bytes, bytes, bytes.length);
  if (problem) throw new Refusal(problem.code, problem.detail);
  const second = pdfHeaderScanner().push(bytes);
  if (second !== -1) throw new Refusal("concatenated", `a second %PDF- header at byte ${second}`);
}

/**
 * A trailer (or cross-reference stream dictionary, never compressed) naming an /Encrypt
 * dictionary. Checked before pdf-lib, which may fail on the encrypted objects first.
 */
function declaresEncryption(bytes) {
  return /\/Encrypt\s*(\d+\s+\d+\s+R|<<)/.test(latin1(bytes));
}

async function load(bytes) {
  try {
    return await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
  } catch (error) {
    if (error?.name === "EncryptedPDFError" || /is encrypted/.test(String(error?.message))) {
      throw new Refusal("encrypted");
    }
    throw new Refusal("corrupt", String(error?.message ?? error).slice(0, 300));
  }
}

function filterNames(dict) {
  const filter = dict.lookup(N("Filter"));
  if (filter instanceof PDFName) return [filter.asString()];
  if (filter instanceof PDFArray) {
    return filter.asArray().map((f) => (f instanceof PDFName ? f.asString() : "?"));
  }
  return [];
}

/** Bytes a chain of Flate layers decodes to, without keeping them; stops past `limit`. */
function flateDecodedSize(data, layers, limit) {
  return new Promise((resolve) => {
    const inflaters = Array.from({ length: layers }, () => createInflate({ finishFlush: 2 /* Z_SYNC_FLUSH */ }));
    let size = 0;
    let done = false;
    const finish = (value) => {
      if (done) return;
      done = true;
      for (const i of inflaters) i.destroy();
      resolve(value);
    };
    for (let i = 0; i < inflaters.length - 1; i++) inflaters[i].pipe(inflaters[i + 1]);
    const last = inflaters[inflaters.length - 1];
    last.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) finish(size);
    });
    last.on("end", () => finish(size));
    // A damaged stream is the viewer's problem, not a bomb: count what decoded.
    for (const i of inflaters) i.on("error", () => finish(size));
    inflaters[0].end(data);
  });
}

/**
 * pdf-lib inflates object streams and cross-reference streams while it parses, in
 * JavaScript and into memory: a bomb there reaches the memory bound only after seconds.
 * Their decoded size is checked first with native zlib, discarding the output. Legitimate
 * ones hold only object syntax: a few MB at most.
 */
const MAX_DECODED_STRUCTURE = 64 * 1024 * 1024;
async function checkStructureStreams(bytes) {
  const text = latin1(bytes);
  const typeRe = /\/Type\s*\/(ObjStm|XRef)\b/g;
  let match;
  while ((match = typeRe.exec(text))) {
    const objStart = text.lastIndexOf(" obj", match.index);
    const streamAt = text.indexOf("stream", match.index);
    if (objStart === -1 || streamAt === -1) continue;
    const dict = text.slice(objStart, streamAt);
    const filter = /\/Filter\s*(\[[^\]]*\]|\/[A-Za-z0-9]+)/.exec(dict);
    if (!filter) continue;
    const names = filter[1].match(/\/[A-Za-z0-9]+/g) ?? [];
    if (names.length === 0 || !names.every((n) => n === "/FlateDecode" || n === "/Fl")) continue;
    let start = streamAt + "stream".length;
    if (text[start] === "\r") start++;
    if (text[start] === "\n") start++;
    let end = text.indexOf("endstream", start);
    if (end === -1) end = text.length;
    const size = await flateDecodedSize(bytes.subarray(start, end), names.length, MAX_DECODED_STRUCTURE);
    if (size > MAX_DECODED_STRUCTURE) throw new Refusal("too_complex", `an /${match[1]} stream decodes to more than 64 MB`);
    typeRe.lastIndex = Math.max(typeRe.lastIndex, end);
  }
}

async function checkStreamSizes(context) {
  let total = 0;
  for (const [, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue;
    const filters = filterNames(object.dict);
    if (filters.length === 0 || !filters.every((f) => f === "/FlateDecode" || f === "/Fl")) continue;
    const size = await flateDecodedSize(object.contents, filters.length, MAX_DECODED_STREAM);
    if (size > MAX_DECODED_STREAM) throw new Refusal("too_complex", "a stream decodes to more than 256 MB");
    total += size;
    if (total > MAX_DECODED_TOTAL) throw new Refusal("too_complex", "streams decode to more than 2 GB");
  }
}

function actionAllowed(action) {
  if (!(action instanceof PDFDict)) return false;
  const type = action.lookup(N("S"));
  if (!(type instanceof PDFName)) return false;
  if (type.asString() === "/GoTo") return true;
  if (type.asString() !== "/URI") return false;
  const uri = action.lookup(N("URI"));
  const text = uri instanceof PDFString || uri instanceof PDFHexString ? uri.decodeText() : "";
  return /^(https?:|mailto:)/i.test(text.trim());
}

function annotationAllowed(annot) {
  if (!(annot instanceof PDFDict)) return false;
  const subtype = annot.lookup(N("Subtype"));
  if (subtype instanceof PDFName && FORBIDDEN_ANNOTS.has(subtype.asString().slice(1))) return false;
  if (annot.has(N("A")) && !actionAllowed(annot.lookup(N("A")))) return false;
  return true;
}

function scrubDict(dict) {
  for (const key of FORBIDDEN_KEYS) dict.delete(N(key));
  if (dict.has(N("A")) && !actionAllowed(dict.lookup(N("A")))) dict.delete(N("A"));
  // An allowed action may chain to any other: the chain goes.
  if (dict.has(N("S"))) dict.delete(N("Next"));
  const names = dict.lookup(N("Names"));
  if (names instanceof PDFDict) {
    names.delete(N("JavaScript"));
    names.delete(N("EmbeddedFiles"));
  }
  const annots = dict.lookup(N("Annots"));
  if (annots instanceof PDFArray) {
    const kept = annots.asArray().filter((entry) => annotationAllowed(entry instanceof PDFRef ? dict.context.lookup(entry) : entry));
    dict.set(N("Annots"), dict.context.obj(kept));
  }
  for (const [, value] of dict.entries()) scrubValue(value);
}

function scrubValue(value) {
  if (value instanceof PDFDict) scrubDict(value);
  else if (value instanceof PDFStream) scrubDict(value.dict);
  else if (value instanceof PDFArray) for (const item of value.asArray()) scrubValue(item);
}

/**
 * Removes active content from every object of the source document (see PDF-FACTS.md);
 * the caller then copies the pages into a fresh document, so that nothing unreferenced
 * (deleted here but still in the source's object table) reaches the output.
 */
export function sanitize(doc) {
  for (const [, object] of doc.context.enumerateIndirectObjects()) scrubValue(object);
}

async function copyInto(target, source) {
  const pages = await target.copyPages(source, source.getPageIndices());
  for (const page of pages) target.addPage(page);
  return pages.length;
}

async function inspect(input, output, maxPages) {
  const bytes = new Uint8Array(await readFile(input));
  checkEnvelope(bytes);
  if (declaresEncryption(bytes)) throw new Refusal("encrypted");
  await checkStructureStreams(bytes);
  const doc = await load(bytes);
  let pages;
  try {
    pages = doc.getPageCount();
  } catch (error) {
    throw new Refusal("corrupt", `page tree: ${String(error?.message ?? error).slice(0, 200)}`);
  }
  if (pages === 0) throw new Refusal("empty", "no pages");
  if (pages > maxPages) throw new Refusal("too_many_pages", `${pages} pages`);
  await checkStreamSizes(doc.context);
  sanitize(doc);
  const fresh = await PDFDocument.create({ updateMetadata: false });
  try {
    await copyInto(fresh, doc);
  } catch (error) {
    throw new Refusal("corrupt", `copying pages: ${String(error?.message ?? error).slice(0, 200)}`);
  }
  const out = await fresh.save({ useObjectStreams: true });
  await writeFile(output, out);
  return { ok: true, pages, sanitizedSize: out.length };
}

async function merge(output, inputs, infoFromFirst = false) {
  const target = await PDFDocument.create({ updateMetadata: false });
  const pages = [];
  for (const [i, input] of inputs.entries()) {
    const source = await PDFDocument.load(await readFile(input), { updateMetadata: false });
    if (i === 0 && infoFromFirst) copyInfo(source, target);
    pages.push(await copyInto(target, source));
  }
  await writeFile(output, await target.save({ useObjectStreams: true }));
  return { ok: true, pages };
}

/** The document information of `source` (the ficha's cover) onto `target`. */
function copyInfo(source, target) {
  const text = [
    ["getTitle", "setTitle"], ["getAuthor", "setAuthor"], ["getSubject", "setSubject"],
    ["getCreator", "setCreator"], ["getProducer", "setProducer"],
  ];
  for (const [get, set] of text) {
    const value = source[get]();
    if (value !== undefined) target[set](value);
  }
  const created = source.getCreationDate();
  if (created) target.setCreationDate(created);
  const modified = source.getModificationDate();
  if (modified) target.setModificationDate(modified);
}

async function main() {
  const [mode, ...args] = process.argv.slice(2);
  try {
    if (mode === "inspect") answer(await inspect(args[0], args[1], Number(args[2] ?? 2000)));
    else if (mode === "merge") answer(await merge(args[0], args.slice(1)));
    else if (mode === "merge-info-from-first") answer(await merge(args[0], args.slice(1), true));
    else answer({ ok: false, code: "internal", detail: `unknown mode ${mode}` });
  } catch (error) {
    if (error instanceof Refusal) answer({ ok: false, code: error.code, detail: error.message });
    // pdf-lib failing in an unforeseen way on an uploaded file: the file is unusable.
    else if (mode === "inspect") answer({ ok: false, code: "corrupt", detail: `unexpected: ${String(error?.stack ?? error).slice(0, 500)}` });
    else answer({ ok: false, code: "internal", detail: String(error?.stack ?? error).slice(0, 1000) });
  }
}

await main();
