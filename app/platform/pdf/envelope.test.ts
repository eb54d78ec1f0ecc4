import { expect, test } from "vitest";
import { pdfHeaderScanner } from "./envelope.mjs";

const scan = (file: Buffer, cuts: number[]) => {
  const scanner = pdfHeaderScanner();
  let from = 0;
  for (const cut of [...cuts, file.length]) {
    const at = scanner.push(file.subarray(from, cut));
    if (at !== -1) return at;
    from = cut;
  }
  return -1;
};

test("finds a second %PDF- header wherever the chunks are cut, and never the one at byte 0", () => {
  const file = Buffer.from("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n%PDF-1.4\n%%EOF\n", "latin1");
  const second = file.indexOf("%PDF-", 1);
  for (let a = 0; a <= file.length; a++) {
    expect(scan(file, [a]), `cut at ${a}`).toBe(second);
    for (let b = a; b <= Math.min(file.length, a + 6); b++) expect(scan(file, [a, b]), `cuts at ${a}, ${b}`).toBe(second);
  }
  const one = Buffer.from("%PDF-1.7\n1 0 obj << /Title (%PDF) >> endobj\n%%EOF\n", "latin1");
  for (let a = 0; a <= one.length; a++) expect(scan(one, [a])).toBe(-1);
  // One byte at a time.
  expect(scan(file, Array.from({ length: file.length }, (_, i) => i))).toBe(second);
});
