import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import type { AppLoadContext } from "react-router";
import { afterEach, beforeEach, expect, test } from "vitest";
import { csrfTokenFor, newCsrfCookieValue } from "./csrf.server";
import { cleanFileName } from "~/shared/file-name";
import { sweepTempFiles } from "~/platform/file-sweeper.server";
import { MB, parsePartHeaders, readUpload, readUploadForm, UploadError } from "./upload.server";

const BOUNDARY = "----casBoundary7MA4YWxkTrZu0gW";
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "cas-upload-"));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

type Part = { name: string; value: string } | { name: string; filename: string; type?: string; data: Uint8Array | (() => Iterable<Uint8Array>) };

/** A multipart body as a sequence of chunks (file data may be a lazy generator: never built whole). */
function* bodyChunks(parts: Part[], end = true): Generator<Uint8Array> {
  for (const part of parts) {
    if ("value" in part) {
      yield Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`);
    } else {
      yield Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\n` +
          `Content-Type: ${part.type ?? "application/pdf"}\r\n\r\n`,
      );
      if (typeof part.data === "function") yield* part.data();
      else yield part.data;
      yield Buffer.from("\r\n");
    }
  }
  if (end) yield Buffer.from(`--${BOUNDARY}--\r\n`);
}

/** A streaming Request; `onPull` sees how many bytes were handed over so far. */
function request(chunks: Iterable<Uint8Array>, onPull?: (sent: number) => void) {
  const it = chunks[Symbol.iterator]();
  let sent = 0;
  let finished = false;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      onPull?.(sent);
      const next = it.next();
      if (next.done) {
        finished = true;
        controller.close();
        return;
      }
      sent += next.value.byteLength;
      controller.enqueue(next.value);
    },
  });
  const req = new Request("http://localhost/upload", {
    method: "POST",
    body,
    duplex: "half",
    headers: { "Content-Type": `multipart/form-data; boundary=${BOUNDARY}` },
  } as RequestInit);
  return { req, sent: () => sent, finished: () => finished };
}

const sha = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const limits: Record<string, number> = { dni: 1 * MB, experiencia: 10 * MB };
const limitFor = (fields: FormData) => limits[String(fields.get("tipo"))] ?? 0;

test("a file is streamed to a temp file with its size and SHA-256, the fields sent before and after it kept", async () => {
  const data = randomBytes(300_000);
  const { req } = request(
    bodyChunks([
      { name: "csrf", value: "token" },
      { name: "tipo", value: "dni" },
      { name: "archivo", filename: "mi DNI.pdf", data },
      { name: "after", value: "ñandú" },
    ]),
  );
  const { fields, file } = await readUpload(req, { tmpDir: tmp, limitFor });
  expect(fields.get("tipo")).toBe("dni");
  expect(fields.get("after")).toBe("ñandú");
  expect(file).toMatchObject({ fieldName: "archivo", size: data.length, sha256: sha(data), filename: "mi DNI.pdf", contentType: "application/pdf" });
  expect(path.dirname(file!.path)).toBe(tmp);
  expect(readFileSync(file!.path).equals(data)).toBe(true);
});

test("the file is on disk while it arrives, never held whole in memory", async () => {
  const chunk = Buffer.alloc(64 * 1024, 7);
  const total = 40 * MB;
  let seenOnDisk = 0;
  const { req } = request(
    bodyChunks([
      { name: "tipo", value: "experiencia" },
      { name: "archivo", filename: "grande.pdf", data: function* () { for (let i = 0; i < total / chunk.length; i++) yield chunk; } },
    ]),
    (sent) => {
      if (sent > 30 * MB && seenOnDisk === 0) {
        const [name] = readdirSync(tmp);
        seenOnDisk = name ? statSync(path.join(tmp, name)).size : -1;
      }
    },
  );
  const { file } = await readUpload(req, { tmpDir: tmp, limitFor: () => 50 * MB });
  expect(file!.size).toBe(total);
  // With 30 MB sent, at least 20 MB were already written to the temp file.
  expect(seenOnDisk).toBeGreaterThan(20 * MB);
});

test("the limit depends on a field sent before the file and the request is cut at limit + 1 byte: 413, nothing kept", async () => {
  const { req, finished } = request(
    bodyChunks([
      { name: "tipo", value: "dni" },
      { name: "archivo", filename: "dni.pdf", data: Buffer.alloc(MB + 1, 1) },
      { name: "after", value: "x" },
    ]),
  );
  const error = await readUpload(req, { tmpDir: tmp, limitFor }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UploadError);
  expect(error).toMatchObject({ status: 413, code: "too_large", message: "El archivo supera el tamaño máximo de 1 MB" });
  expect((error as UploadError).fields.get("tipo")).toBe("dni");
  expect(readdirSync(tmp)).toEqual([]);
  // The rest of the body was read and dropped, so the browser gets the 413 page.
  expect(finished()).toBe(true);
});

test("a file of exactly the limit is accepted", async () => {
  const data = Buffer.alloc(MB, 2);
  const { req } = request(bodyChunks([{ name: "tipo", value: "dni" }, { name: "archivo", filename: "dni.pdf", data }]));
  const { file } = await readUpload(req, { tmpDir: tmp, limitFor });
  expect(file!.size).toBe(MB);
});

test("a refused body larger than the drain bound is cancelled rather than read to its end", async () => {
  const chunk = Buffer.alloc(64 * 1024);
  const { req, sent, finished } = request(
    bodyChunks([{ name: "tipo", value: "dni" }, { name: "archivo", filename: "x.pdf", data: function* () { for (;;) yield chunk; } }]),
  );
  await expect(readUpload(req, { tmpDir: tmp, limitFor, maxDrainBytes: 4 * MB })).rejects.toMatchObject({ status: 413 });
  expect(finished()).toBe(false);
  expect(sent()).toBeLessThan(7 * MB);
});

const CSRF_COOKIE = newCsrfCookieValue("s".repeat(40));
function fakeContext(dataDir: string): AppLoadContext {
  const warnings: string[] = [];
  return {
    services: { config: { sessionSecret: "s".repeat(40), dataDir } },
    csrfCookie: CSRF_COOKIE,
    logger: { warn: (msg: string) => warnings.push(msg) },
  } as unknown as AppLoadContext;
}

test("a wrong CSRF token is refused with 403 when the file part starts, before a byte of it is written", async () => {
  const context = fakeContext(tmp);
  const { req } = request(
    bodyChunks([
      { name: "csrf", value: "wrong" },
      { name: "tipo", value: "dni" },
      { name: "archivo", filename: "dni.pdf", data: Buffer.alloc(1000) },
    ]),
  );
  const error = await readUploadForm(req, context, { limitFor }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(Response);
  expect((error as Response).status).toBe(403);
  expect(readdirSync(tmp)).toEqual([]);
});

test("a right CSRF token lets the file through into DATA_DIR/tmp; a form without a file is still checked", async () => {
  const context = fakeContext(tmp);
  const token = csrfTokenFor("s".repeat(40), CSRF_COOKIE);
  const ok = request(bodyChunks([{ name: "csrf", value: token }, { name: "tipo", value: "dni" }, { name: "archivo", filename: "a.pdf", data: Buffer.alloc(10) }]));
  const { file } = await readUploadForm(ok.req, context, { limitFor });
  expect(path.dirname(file!.path)).toBe(path.join(tmp, "tmp"));

  const noFile = request(bodyChunks([{ name: "csrf", value: "wrong" }, { name: "tipo", value: "dni" }]));
  await expect(readUploadForm(noFile.req, context, { limitFor })).rejects.toBeInstanceOf(Response);
});

test("an empty file input is no file; a second file is refused", async () => {
  const empty = request(bodyChunks([{ name: "tipo", value: "dni" }, { name: "archivo", filename: "", type: "application/octet-stream", data: new Uint8Array() }]));
  expect((await readUpload(empty.req, { tmpDir: tmp, limitFor })).file).toBeUndefined();

  const two = request(
    bodyChunks([
      { name: "tipo", value: "dni" },
      { name: "archivo", filename: "a.pdf", data: Buffer.alloc(10) },
      { name: "archivo", filename: "b.pdf", data: Buffer.alloc(10) },
    ]),
  );
  await expect(readUpload(two.req, { tmpDir: tmp, limitFor })).rejects.toMatchObject({ code: "too_many_files", status: 400 });
  expect(readdirSync(tmp)).toEqual([]);
});

test("a body cut short (the browser gave up) is refused and its partial file deleted", async () => {
  const { req } = request(bodyChunks([{ name: "tipo", value: "dni" }, { name: "archivo", filename: "a.pdf", data: Buffer.alloc(5000) }], false));
  // Without the closing boundary: drop the final CRLF too.
  await expect(readUpload(req, { tmpDir: tmp, limitFor })).rejects.toMatchObject({ code: "malformed", status: 400 });
  expect(readdirSync(tmp)).toEqual([]);
});

test("a request that is not multipart is refused", async () => {
  const req = new Request("http://localhost/upload", { method: "POST", body: "tipo=dni", headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  await expect(readUpload(req, { tmpDir: tmp, limitFor })).rejects.toMatchObject({ code: "not_multipart", status: 400 });
});

test("file names with path separators, unicode, quotes or 300 characters are kept safely", () => {
  expect(parsePartHeaders('Content-Disposition: form-data; name="archivo"; filename="..\\..\\etc/passwd %22x%22.pdf"').filename).toBe(
    '..\\..\\etc/passwd "x".pdf',
  );
  expect(parsePartHeaders("Content-Disposition: form-data; name=\"a\"; filename*=UTF-8''%E5%B1%A5%E6%AD%B4.pdf").filename).toBe("履歴.pdf");
  expect(cleanFileName("a\u0000b\u202e\r\nc.pdf")).toBe("abc.pdf");
  expect([...cleanFileName(`${"á".repeat(300)}.pdf`)]).toHaveLength(120);
  expect(cleanFileName("  ", "archivo.pdf")).toBe("archivo.pdf");
});

test("however the body is split into chunks, the same fields and file come out", async () => {
  // Data full of near-boundaries: CRLF, dashes, the boundary's first characters.
  const data = Buffer.concat([Buffer.from(`\r\n--${BOUNDARY.slice(0, 20)}\r\n--\r`), randomBytes(5000), Buffer.from(`\r\n-${BOUNDARY}`)]);
  const whole = Buffer.concat([
    ...bodyChunks([{ name: "tipo", value: "experiencia" }, { name: "archivo", filename: "x.pdf", data }, { name: "z", value: "fin" }]),
  ]);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 40 }), async (sizes) => {
      const chunks: Uint8Array[] = [];
      let at = 0;
      let i = 0;
      while (at < whole.length) {
        const size = sizes[i++ % sizes.length]!;
        chunks.push(whole.subarray(at, at + size));
        at += size;
      }
      const dir = mkdtempSync(path.join(tmp, "p-"));
      const { fields, file } = await readUpload(request(chunks).req, { tmpDir: dir, limitFor });
      expect(fields.get("z")).toBe("fin");
      expect(file!.sha256).toBe(sha(data));
    }),
    { numRuns: 60 },
  );
});

test("temp files left by a process killed mid-upload are swept at start, recent ones kept", async () => {
  const { utimesSync, writeFileSync } = await import("node:fs");
  const old = path.join(tmp, "a.upload");
  const oldCopy = path.join(tmp, "a.upload.sanitizado");
  const recent = path.join(tmp, "b.upload");
  const other = path.join(tmp, "keep.txt");
  for (const f of [old, oldCopy, recent, other]) writeFileSync(f, "x");
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  utimesSync(old, twoHoursAgo, twoHoursAgo);
  utimesSync(oldCopy, twoHoursAgo, twoHoursAgo);
  utimesSync(other, twoHoursAgo, twoHoursAgo);
  expect(await sweepTempFiles(tmp)).toBe(2);
  expect(readdirSync(tmp).sort()).toEqual(["b.upload", "keep.txt"]);
  expect(await sweepTempFiles(path.join(tmp, "missing"))).toBe(0);
});
