import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { PDFDocument } from "pdf-lib";

/**
 * What a reader of a PDF sees: its text as poppler's `pdftotext` extracts it (Debian
 * `poppler-utils`, installed by scripts/ensure-system-packages.sh), and its document
 * information as pdf-lib reads it. For the ficha, the constancia and their e2e journeys.
 */
export async function pdfText(bytes: Uint8Array, pages?: { first?: number; last?: number }): Promise<string> {
  const range = [
    ...(pages?.first ? ["-f", String(pages.first)] : []),
    ...(pages?.last ? ["-l", String(pages.last)] : []),
  ];
  const child = promisify(execFile)("pdftotext", ["-enc", "UTF-8", ...range, "-", "-"], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  child.child.stdin!.end(bytes);
  const { stdout } = await child;
  // pdftotext breaks lines as laid out; a reader's sentence may span two.
  return stdout.replace(/\f/g, "\n");
}

export async function pdfInfo(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return {
    title: doc.getTitle(),
    author: doc.getAuthor(),
    creationDate: doc.getCreationDate(),
    pages: doc.getPageCount(),
  };
}
