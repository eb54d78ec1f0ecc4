/**
 * The bytes around a PDF's body: what a PDF parser alone lets through (renamed images,
 * HTML, ZIP polyglots, a file appended after %%EOF, an update cut short). Shared by the
 * PDF worker (pdf-worker.mjs, whole file) and inspect.server.ts (which reads only the
 * first bytes and the last ENVELOPE_TAIL_BYTES, in the request process). Plain JavaScript
 * for the worker's sake.
 *
 *   envelopeProblem(head, end, size)
 *     head: the file's first bytes (at least 5); end: its LAST end.length bytes (the whole
 *     file when end.length === size); size: the file's length.
 *     → undefined (fine) | { code: "empty" | "not_pdf" | "corrupt", detail }
 *       | "unknown" (the last %%EOF is not within `end`: read more, or the whole file)
 *
 *   pdfHeaderScanner() → { push(chunk) → offset | -1 }
 *     fed the whole file in order, chunk by chunk: the offset of the first `%PDF-` past
 *     byte 0 (a second document concatenated after the first, which viewers and parsers
 *     may hide), or -1. A header split across two chunks is found.
 */

/** Enough for a ZIP end-of-central-directory record with the longest comment, and then some. */
export const ENVELOPE_TAIL_BYTES = 128 * 1024;

const latin1 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");

/** A ZIP's end-of-central-directory record ends exactly at the end of the file. */
function looksLikeZip(end) {
  const from = Math.max(0, end.length - 22 - 65535);
  for (let i = end.length - 22; i >= from; i--) {
    if (end[i] === 0x50 && end[i + 1] === 0x4b && end[i + 2] === 0x05 && end[i + 3] === 0x06) {
      const commentLength = end[i + 20] | (end[i + 21] << 8);
      if (i + 22 + commentLength === end.length) return true;
    }
  }
  return false;
}

const FOREIGN_MAGIC = [
  [0xff, 0xd8, 0xff], // JPEG
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x50, 0x4b, 0x03, 0x04], // ZIP (and docx, xlsx…)
  [0x47, 0x49, 0x46, 0x38], // GIF
  [0x7f, 0x45, 0x4c, 0x46], // ELF
  [0x4d, 0x5a], // PE (exe)
];
const startsWithBytes = (bytes, magic) => magic.every((b, i) => bytes[i] === b);

export function envelopeProblem(head, end, size) {
  head = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  end = Buffer.from(end.buffer, end.byteOffset, end.byteLength);
  if (size === 0) return { code: "empty", detail: "0 bytes" };
  if (latin1(head.subarray(0, 5)) !== "%PDF-") return { code: "not_pdf", detail: "no %PDF- header at offset 0" };
  if (looksLikeZip(end)) return { code: "not_pdf", detail: "a ZIP archive with a PDF header" };
  const eof = end.lastIndexOf("%%EOF");
  if (eof === -1) return end.length < size ? "unknown" : { code: "corrupt", detail: "no %%EOF marker: truncated" };
  let tail = end.subarray(eof + 5);
  let start = 0;
  while (start < tail.length && (tail[start] <= 0x20 || tail[start] === 0)) start++;
  tail = tail.subarray(start);
  if (tail.length === 0) return undefined;
  if (FOREIGN_MAGIC.some((m) => startsWithBytes(tail, m)) || /<html|<!doctype/i.test(latin1(tail.subarray(0, 64)))) {
    return { code: "not_pdf", detail: "another file appended after %%EOF" };
  }
  if (/\bobj\b|\bxref\b|\btrailer\b|startxref/.test(latin1(tail.subarray(0, 4096)))) {
    return { code: "corrupt", detail: "an incremental update cut short" };
  }
  if (tail.length > 1024) return { code: "not_pdf", detail: `${tail.length} bytes of unknown data after %%EOF` };
  return undefined;
}

const PDF_HEADER = Buffer.from("%PDF-", "latin1");

/**
 * Incremental updates append objects, a cross-reference section and %%EOF, never a header:
 * a second `%PDF-` means two files glued together, and the stored original would keep the
 * first one hidden behind the second.
 */
export function pdfHeaderScanner() {
  let consumed = 0; // bytes pushed so far
  let carry = Buffer.alloc(0); // the last PDF_HEADER.length - 1 bytes, for a header across chunks
  return {
    push(chunk) {
      const bytes = Buffer.concat([carry, Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)]);
      const base = consumed - carry.length; // file offset of bytes[0]
      for (let at = bytes.indexOf(PDF_HEADER); at !== -1; at = bytes.indexOf(PDF_HEADER, at + 1)) {
        if (base + at > 0) return base + at;
      }
      consumed += chunk.byteLength;
      carry = bytes.subarray(Math.max(0, bytes.length - (PDF_HEADER.length - 1)));
      return -1;
    },
  };
}
