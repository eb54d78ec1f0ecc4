import fc from "fast-check";
import { expect, test } from "vitest";
import { cleanFileName, contentDisposition, MAX_FILE_NAME, servedFileName } from "./file-name";

test("bidi overrides, isolates, marks and control characters are removed from the kept name", () => {
  expect(cleanFileName("cv\u202Efdp.exe")).toBe("cvfdp.exe");
  const hidden = ["\u202A", "\u202B", "\u202C", "\u202D", "\u202E", "\u2066", "\u2067", "\u2068", "\u2069", "\u200E", "\u200F", "\u061C", "\u200B", "\uFEFF"];
  for (const c of hidden) expect(cleanFileName(`a${c}b.pdf`), `U+${c.charCodeAt(0).toString(16)}`).toBe("ab.pdf");
  expect(cleanFileName("a\u0000b\u0007c\u007f\u0085d\u2028\u2029.pdf")).toBe("abcd.pdf");
  expect(cleanFileName("lone\uD800.pdf")).toBe("lone.pdf");
  expect(cleanFileName("C:\\Users\\rosa\\cv.pdf")).toBe("cv.pdf");
  expect(cleanFileName("../../.htaccess")).toBe("htaccess");
  expect(cleanFileName("\u202E")).toBe("documento.pdf");
  expect(Array.from(cleanFileName(`${"á".repeat(300)}.pdf`))).toHaveLength(MAX_FILE_NAME);
});

test("the served name always ends in .pdf (or the type's extension) and never carries a hidden character", () => {
  expect(servedFileName("cv\u202Efdp.exe")).toBe("cvfdp.exe.pdf");
  expect(servedFileName("informe.PDF")).toBe("informe.PDF");
  expect(servedFileName("")).toBe("documento.pdf");
  expect(servedFileName(`${"a".repeat(200)}.exe`).endsWith(".pdf")).toBe(true);
  expect(Array.from(servedFileName(`${"a".repeat(200)}.exe`)).length).toBeLessThanOrEqual(MAX_FILE_NAME);
  expect(servedFileName("Formato 1.docx", "docx")).toBe("Formato 1.docx");
  expect(contentDisposition("inline", "cv\u202Efdp.exe")).toBe(`inline; filename="cvfdp.exe.pdf"; filename*=UTF-8''cvfdp.exe.pdf`);
  expect(contentDisposition("attachment", 'título "ñ";\r\n.pdf')).toBe(
    `attachment; filename="titulo _n__.pdf"; filename*=UTF-8''${encodeURIComponent('título "ñ";.pdf')}`,
  );
});

test("whatever the name, the header is one line of printable ASCII and the name it gives ends in .pdf", () => {
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 300 }), (raw) => {
      const header = contentDisposition("inline", raw);
      expect(header).toMatch(/^inline; filename="[\x20-\x21\x23-\x7e]*\.pdf"; filename\*=UTF-8''[A-Za-z0-9%._~!-]*\.pdf$/);
      const served = decodeURIComponent(header.split("''")[1]!);
      expect(served).not.toMatch(/[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u);
      expect(served).toBe(servedFileName(raw));
    }),
  );
});
