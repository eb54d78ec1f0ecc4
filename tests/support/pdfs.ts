import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { constants, deflateRawSync, deflateSync } from "node:zlib";
import { ZipArchive } from "archiver";
import { PDFDocument, PDFName, PDFString, StandardFonts, rgb } from "pdf-lib";
import QRCode from "qrcode";

/**
 * Real PDFs, good and hostile, generated at test time (nothing downloaded, nothing
 * checked in). Every builder returns bytes; `writeFixtures(dir)` writes the whole set.
 */

/**
 * A valid baseline JPEG of one grey level: one component, every 8×8 block DC = 0
 * (level 128 after the shift), no AC. Standard luminance DC table (category 0 = "00");
 * an AC table with the single symbol EOB coded "0". 3 bits per block.
 */
export function greyJpeg(width: number, height: number): Uint8Array {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const scanBits = blocks * 3;
  const scan = Buffer.alloc(Math.ceil(scanBits / 8), 0);
  // Pad the last byte with 1-bits, as the standard asks.
  const pad = scan.length * 8 - scanBits;
  if (pad > 0) scan.writeUInt8(scan.readUInt8(scan.length - 1) | ((1 << pad) - 1), scan.length - 1);
  const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
  const dcCounts = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
  const dcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const acCounts = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return Uint8Array.from([
    0xff, 0xd8, // SOI
    0xff, 0xdb, ...u16(67), 0x00, ...new Array<number>(64).fill(1), // DQT
    0xff, 0xc0, ...u16(11), 8, ...u16(height), ...u16(width), 1, 1, 0x11, 0, // SOF0
    0xff, 0xc4, ...u16(2 + 1 + 16 + dcValues.length), 0x00, ...dcCounts, ...dcValues, // DHT DC
    0xff, 0xc4, ...u16(2 + 1 + 16 + 1), 0x10, ...acCounts, 0x00, // DHT AC
    0xff, 0xda, ...u16(8), 1, 1, 0x00, 0, 63, 0, // SOS
    ...scan,
    0xff, 0xd9, // EOI
  ]);
}

/** A normal PDF: `textPages` pages of text and one page with a JPEG image. */
export async function normalPdf(textPages = 3, title = "Documento de prueba"): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= textPages; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`${title} — página ${i}`, { x: 50, y: 780, size: 16, font });
    for (let line = 0; line < 30; line++) {
      page.drawText(`Línea ${line + 1}: información académica y experiencia laboral del postulante.`, {
        x: 50,
        y: 740 - line * 20,
        size: 10,
        font,
        color: rgb(0.1, 0.1, 0.1),
      });
    }
  }
  const image = await doc.embedJpg(greyJpeg(800, 600));
  const page = doc.addPage([595, 842]);
  page.drawImage(image, { x: 50, y: 300, width: 495, height: 371 });
  page.drawText("Imagen escaneada", { x: 50, y: 280, size: 12, font });
  return doc.save();
}

/**
 * A PDF with every kind of active content PDF-FACTS.md lists: catalog JavaScript
 * OpenAction, document-level JavaScript (Names), an embedded file (Names), page /AA,
 * a Launch link, a JavaScript link, a FileAttachment annotation with its own file — and
 * one harmless https link that must survive.
 */
export async function activeContentPdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const ctx = doc.context;
  const page = doc.addPage([595, 842]);
  page.drawText("Documento con contenido activo", { x: 50, y: 780, size: 16, font });
  const second = doc.addPage([595, 842]);
  second.drawText("Segunda página", { x: 50, y: 780, size: 16, font });

  const js = (code: string) => ctx.obj({ Type: "Action", S: "JavaScript", JS: PDFString.of(code) });
  doc.catalog.set(PDFName.of("OpenAction"), ctx.register(js("app.alert('OpenAction');")));
  doc.catalog.set(PDFName.of("AA"), ctx.obj({ WC: js("app.alert('will close');") }));
  doc.addJavaScript("bienvenida", "app.alert('document level');");
  await doc.attach(Buffer.from("MZ not really a program"), "payload.exe", { mimeType: "application/octet-stream" });
  page.node.set(PDFName.of("AA"), ctx.obj({ O: js("app.alert('page open');"), C: js("app.alert('page close');") }));

  const embedded = ctx.flateStream(Buffer.from("secret attachment"), { Type: "EmbeddedFile" });
  const annots = [
    ctx.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [50, 700, 250, 720],
      Border: [0, 0, 0],
      A: { S: "Launch", F: PDFString.of("cmd.exe"), NewWindow: true },
    }),
    ctx.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [50, 670, 250, 690],
      Border: [0, 0, 0],
      A: { S: "JavaScript", JS: PDFString.of("app.launchURL('http://evil.example/');") },
    }),
    ctx.obj({
      Type: "Annot",
      Subtype: "FileAttachment",
      Rect: [50, 640, 70, 660],
      FS: { Type: "Filespec", F: PDFString.of("dropper.exe"), EF: { F: ctx.register(embedded) } },
    }),
    ctx.obj({
      Type: "Annot",
      Subtype: "Link",
      Rect: [50, 610, 250, 630],
      Border: [0, 0, 0],
      AA: { E: js("app.alert('mouse enter');") },
      A: {
        S: "URI",
        URI: PDFString.of("https://www.gob.pe/migraciones"),
        Next: js("app.alert('chained');"),
      },
    }),
  ];
  page.node.set(PDFName.of("Annots"), ctx.obj(annots.map((a) => ctx.register(a))));
  return doc.save({ useObjectStreams: false });
}

/** The Adler-32 of n zero bytes: a stays 1, b adds 1 per byte. */
function adler32OfZeros(n: number): number {
  return (((n % 65521) << 16) | 1) >>> 0;
}

/**
 * A zlib stream that inflates to `total` zero bytes (a multiple of 1 MiB), built in
 * milliseconds: one raw deflate of 1 MiB of zeros ending in a sync flush (byte aligned,
 * not final, referring only to itself) repeated, then an empty final block and the checksum.
 */
export function zlibOfZeros(total: number): Buffer {
  const mib = 1024 * 1024;
  const block = deflateRawSync(Buffer.alloc(mib), { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const count = Math.ceil(total / mib);
  const end = deflateRawSync(Buffer.alloc(0), { finishFlush: constants.Z_FINISH });
  const adler = Buffer.alloc(4);
  adler.writeUInt32BE(adler32OfZeros(count * mib));
  return Buffer.concat([Buffer.from([0x78, 0xda]), ...new Array<Buffer>(count).fill(block), end, adler]);
}

/** Writes a classic-xref PDF from object bodies (index 0 = object 1). */
export function rawPdf(objects: Array<string | Buffer>, root = 1): Buffer {
  const parts: Buffer[] = [Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      typeof body === "string" ? Buffer.from(body, "latin1") : body,
      Buffer.from("\nendobj\n"),
    ]);
    parts.push(chunk);
    offset += chunk.length;
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root ${root} 0 R >>`,
    "startxref",
    String(offset),
    "%%EOF",
    "",
  ].join("\n");
  parts.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(parts);
}

const streamObject = (dict: string, data: Buffer) =>
  Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, "latin1"), data, Buffer.from("\nendstream")]);

/**
 * A decompression bomb of a few KB: an object stream (parsed eagerly by pdf-lib) with two
 * Flate layers that inflates to `inflatedBytes` (default 1.5 GiB) of zeros.
 */
export function objectStreamBomb(inflatedBytes = 1536 * 1024 * 1024): Buffer {
  const inner = zlibOfZeros(inflatedBytes);
  const outer = deflateSync(inner, { level: 9 });
  return rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    streamObject("/Type /ObjStm /N 1 /First 4 /Filter [/FlateDecode /FlateDecode]", outer),
  ]);
}

/** A bomb in a page's CONTENT stream (pdf-lib leaves those compressed; viewers and qpdf do not). */
export function contentStreamBomb(inflatedBytes = 1024 * 1024 * 1024): Buffer {
  const outer = deflateSync(zlibOfZeros(inflatedBytes), { level: 9 });
  return rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    streamObject("/Filter [/FlateDecode /FlateDecode]", outer),
  ]);
}

/** A PDF whose page tree claims more pages than we accept: `count` leaf pages. */
export function manyPagesPdf(count: number): Buffer {
  const kids = Array.from({ length: count }, (_, i) => `${i + 3} 0 R`).join(" ");
  const pages = Array.from({ length: count }, () => "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>");
  return rawPdf(["<< /Type /Catalog /Pages 2 0 R >>", `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`, ...pages]);
}

/** A PDF whose page tree has no pages. */
export function zeroPagePdf(): Buffer {
  return rawPdf(["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"]);
}

function qpdf(args: string[]) {
  execFileSync("qpdf", args, { stdio: ["ignore", "ignore", "pipe"] });
}

async function zipBytes(): Promise<Buffer> {
  const archive = new ZipArchive();
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on("end", resolve));
  archive.pipe(out);
  archive.append("Este no es un PDF.\n".repeat(200), { name: "leeme.txt" });
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
}

export type Fixtures = Record<
  | "normal"
  | "encryptedUser"
  | "encryptedOwner"
  | "truncated"
  | "empty"
  | "zeroPages"
  | "renamedPng"
  | "renamedJpeg"
  | "html"
  | "zipWithPdfHeader"
  | "pdfAfterJpeg"
  | "bomb"
  | "contentBomb"
  | "active"
  | "tooManyPages"
  | "concatenated"
  | "concatenatedAcrossChunks"
  | "incrementalUpdate",
  string
>;

/** Writes every fixture into `dir` (each named *.pdf, whatever it really is). */
export async function writeFixtures(dir: string): Promise<Fixtures> {
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const normal = await normalPdf();
  const f: Fixtures = {
    normal: file("normal.pdf"),
    encryptedUser: file("encrypted-user.pdf"),
    encryptedOwner: file("encrypted-owner.pdf"),
    truncated: file("truncated.pdf"),
    empty: file("empty.pdf"),
    zeroPages: file("zero-pages.pdf"),
    renamedPng: file("imagen-png.pdf"),
    renamedJpeg: file("imagen-jpeg.pdf"),
    html: file("pagina.pdf"),
    zipWithPdfHeader: file("zip-polyglot.pdf"),
    pdfAfterJpeg: file("jpeg-polyglot.pdf"),
    bomb: file("bomb.pdf"),
    contentBomb: file("content-bomb.pdf"),
    active: file("active.pdf"),
    tooManyPages: file("many-pages.pdf"),
    concatenated: file("dos-pdf-pegados.pdf"),
    concatenatedAcrossChunks: file("dos-pdf-pegados-1mib.pdf"),
    incrementalUpdate: file("actualizacion-incremental.pdf"),
  };
  writeFileSync(f.normal, normal);
  qpdf(["--encrypt", "usuario", "propietario", "256", "--", f.normal, f.encryptedUser]);
  qpdf(["--encrypt", "", "propietario", "256", "--", f.normal, f.encryptedOwner]);
  writeFileSync(f.truncated, normal.subarray(0, Math.floor(normal.length * 0.6)));
  writeFileSync(f.empty, Buffer.alloc(0));
  writeFileSync(f.zeroPages, zeroPagePdf());
  writeFileSync(f.renamedPng, await QRCode.toBuffer("https://cas.example/"));
  writeFileSync(f.renamedJpeg, greyJpeg(64, 64));
  writeFileSync(f.html, "<!DOCTYPE html><html><body><h1>Constancia</h1><script>alert(1)</script></body></html>\n");
  writeFileSync(f.zipWithPdfHeader, Buffer.concat([Buffer.from("%PDF-1.7\n"), await zipBytes()]));
  writeFileSync(f.pdfAfterJpeg, Buffer.concat([greyJpeg(64, 64), normal]));
  await writeFile(f.bomb, objectStreamBomb());
  await writeFile(f.contentBomb, contentStreamBomb());
  writeFileSync(f.active, await activeContentPdf());
  writeFileSync(f.tooManyPages, manyPagesPdf(2001));
  const hidden = await normalPdf(1, "Documento oculto");
  writeFileSync(f.concatenated, Buffer.concat([hidden, normal]));
  // The second header across the 1 MiB reads of the check: "%P" before the boundary, "DF-" after.
  const padding = Buffer.alloc(1024 * 1024 - 2 - hidden.length, 0x20);
  writeFileSync(f.concatenatedAcrossChunks, Buffer.concat([hidden, padding, normal]));
  writeFileSync(f.incrementalUpdate, incrementalUpdatePdf());
  return f;
}

/**
 * A one-page PDF with an incremental update appended (the catalog written again with a
 * /Lang, a cross-reference section with /Prev): objects and a trailer after the first
 * %%EOF, never a second header. What a viewer that saves "incrementally" writes.
 */
export function incrementalUpdatePdf(): Buffer {
  const base = rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
  ]);
  const prev = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(base.toString("latin1"))![1]);
  const object = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Lang (es-PE) >>\nendobj\n";
  const xrefAt = base.length + object.length;
  const update = [
    object + "xref",
    "0 1",
    "0000000000 65535 f ",
    "1 1",
    `${String(base.length).padStart(10, "0")} 00000 n `,
    "trailer",
    `<< /Size 4 /Root 1 0 R /Prev ${prev} >>`,
    "startxref",
    String(xrefAt),
    "%%EOF",
    "",
  ].join("\n");
  return Buffer.concat([base, Buffer.from(update, "latin1")]);
}

/** The marks of active content in a PDF, once qpdf has expanded it to plain text. */
export const ACTIVE_CONTENT_RE = /\/(JavaScript|JS|Launch|EmbeddedFiles?|OpenAction|AA|FileAttachment|RichMedia|XFA)\b/g;

/** qpdf --qdf --object-streams=disable: every object uncompressed, to grep. */
export function expandPdf(input: string, output: string): string {
  try {
    qpdf(["--qdf", "--object-streams=disable", input, output]);
  } catch (error) {
    // Exit code 3: warnings, output written.
    if ((error as { status?: number }).status !== 3) throw error;
  }
  return output;
}

const CONCATENATED_MESSAGE = "El archivo contiene varios PDF pegados uno tras otro. Envíe un solo PDF (para unir varios, use un programa que los combine)";

/** Every fixture that is not a usable PDF: the refusal's code and the message the applicant sees. */
export const REFUSALS: Array<[keyof Fixtures, string, string]> = [
  ["encryptedUser", "encrypted", "El archivo está protegido con contraseña"],
  ["encryptedOwner", "encrypted", "El archivo está protegido con contraseña"],
  ["truncated", "corrupt", "El archivo PDF está dañado o incompleto"],
  ["empty", "empty", "El archivo está vacío"],
  ["zeroPages", "empty", "El archivo está vacío"],
  ["renamedPng", "not_pdf", "El archivo no es un PDF válido"],
  ["renamedJpeg", "not_pdf", "El archivo no es un PDF válido"],
  ["html", "not_pdf", "El archivo no es un PDF válido"],
  ["zipWithPdfHeader", "not_pdf", "El archivo no es un PDF válido"],
  ["pdfAfterJpeg", "not_pdf", "El archivo no es un PDF válido"],
  ["bomb", "too_complex", "El archivo no se pudo procesar (es demasiado complejo o está dañado)"],
  ["contentBomb", "too_complex", "El archivo no se pudo procesar (es demasiado complejo o está dañado)"],
  ["tooManyPages", "too_many_pages", "El archivo tiene demasiadas páginas (máximo 2000)"],
  ["concatenated", "concatenated", CONCATENATED_MESSAGE],
  ["concatenatedAcrossChunks", "concatenated", CONCATENATED_MESSAGE],
];
