import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, expect, test } from "vitest";
import { basesPdf, encryptedPdf } from "../../../tests/support/convocatorias";
import { tipoDeFormato } from "./tipo-archivo.server";

/** A ZIP of stored (uncompressed) entries, in order, with an optional archive comment. */
function zip(entries: [name: string, content: string][], comment = ""): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 8); // stored
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(Buffer.byteLength(comment), 20);
  return Buffer.concat([...locals, directory, end, Buffer.from(comment)]);
}

const DOCX: [string, string][] = [
  ["[Content_Types].xml", "<Types/>"],
  ["_rels/.rels", "<Relationships/>"],
  ["word/document.xml", "<w:document/>"],
];
const ODT: [string, string][] = [
  ["mimetype", "application/vnd.oasis.opendocument.text"],
  ["content.xml", "<office:document-content/>"],
  ["META-INF/manifest.xml", "<manifest/>"],
];

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cas-formatos-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The format's type of these bytes, read as the upload reader hands them over: a temp file. */
function tipo(bytes: Uint8Array) {
  const file = path.join(dir, `${++n}.upload`);
  writeFileSync(file, bytes);
  return tipoDeFormato({ path: file, size: bytes.length, filename: "formato" });
}

test("tells a DOCX, an ODT and a PDF by their content", async () => {
  expect(await tipo(zip(DOCX))).toMatchObject({ ext: "docx" });
  expect(await tipo(zip(ODT))).toMatchObject({ ext: "odt", contentType: "application/vnd.oasis.opendocument.text" });
  expect(await tipo(await basesPdf())).toMatchObject({ ext: "pdf" });
  // The end record is found behind an archive comment (up to 64 KB).
  expect(await tipo(zip(DOCX, "x".repeat(60_000)))).toMatchObject({ ext: "docx" });
});

test("refuses what is not one of them, with the reason", async () => {
  const only = "Solo se aceptan formatos PDF, DOCX u ODT.";
  expect(await tipo(zip([["hola.txt", "hola"]]))).toEqual({ problem: only });
  // An ODT's "mimetype" must be its first entry.
  expect(await tipo(zip([ODT[1]!, ODT[0]!, ODT[2]!]))).toEqual({ problem: only });
  expect(await tipo(zip(DOCX).subarray(0, 200))).toEqual({ problem: only }); // cut short: no directory
  expect(await tipo(Buffer.from("MZ not a document at all"))).toEqual({ problem: only });
  expect(await tipo(new Uint8Array(0))).toEqual({ problem: "El archivo está vacío." });
  expect(await tipo(await encryptedPdf())).toEqual({ problem: "El PDF está protegido con contraseña. Cargue una versión sin contraseña." });
  expect(await tipo(Buffer.from("%PDF-1.7\nbasura"))).toEqual({ problem: "El PDF está dañado: no se puede leer." });
});
