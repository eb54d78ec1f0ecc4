import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { cleanFileName } from "~/shared/file-name";
import { MB, readUpload, UploadError } from "./upload.server";

/**
 * Fuzz of the upload reader over malformed multipart bodies (issue 18): whatever parser is
 * behind readUpload, hostile bytes must end in a result or an UploadError (400/413), never
 * another exception, a hang or a temp file left behind; and a well-formed body must come out
 * exactly as it was sent, however it is mutated around it (parts after the end) or split.
 */
const BOUNDARY = "----fuzzBoundaryQ1w2E3r4";
const CRLF = "\r\n";
let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), "cas-upload-fuzz-"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

type Field = { kind: "field"; name: string; value: string };
type File = { kind: "file"; name: string; filename: string; data: Buffer };
type Part = Field | File;

const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const field = fc.record({ kind: fc.constant("field" as const), name, value: fc.string({ maxLength: 200 }) });
// File bytes full of near-boundaries: CRLF, dashes and prefixes of the delimiter.
const tricky = fc.constantFrom(CRLF, "--", `${CRLF}--`, `${CRLF}--${BOUNDARY.slice(0, 9)}`, `--${BOUNDARY}`, "\r", "\n", "-");
const fileData = fc
  .array(fc.oneof(fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)), tricky.map((s) => Buffer.from(s))), { maxLength: 12 })
  .map((pieces) => Buffer.concat(pieces));
const file = fc.record({
  kind: fc.constant("file" as const),
  name,
  filename: fc.stringMatching(/^[A-Za-z0-9 ._()-]{1,40}$/),
  // A browser picks a boundary that its data does not contain.
  data: fileData.filter((data) => !Buffer.concat([Buffer.from(CRLF), data]).includes(`${CRLF}--${BOUNDARY}`)),
});

function partBytes(part: Part): Buffer {
  const disposition =
    part.kind === "field"
      ? `Content-Disposition: form-data; name="${part.name}"`
      : `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"${CRLF}Content-Type: application/pdf`;
  return Buffer.concat([Buffer.from(`--${BOUNDARY}${CRLF}${disposition}${CRLF}${CRLF}`), part.kind === "field" ? Buffer.from(part.value) : part.data, Buffer.from(CRLF)]);
}

const closing = Buffer.from(`--${BOUNDARY}--${CRLF}`);

/** At most one file: readUpload's default (maxFiles 1); fields before and after it. */
const wellFormed = fc
  .tuple(fc.array(field, { maxLength: 4 }), fc.option(file, { nil: undefined }), fc.array(field, { maxLength: 3 }))
  .map(([before, f, after]) => [...before, ...(f ? [f] : []), ...after] as Part[]);

/** The body in chunks of the given sizes (cycled), as a socket might hand it over. */
function split(body: Buffer, sizes: number[]): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0, i = 0; at < body.length; i++) {
    const size = sizes[i % sizes.length]!;
    chunks.push(body.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

function request(chunks: Buffer[], contentType = `multipart/form-data; boundary=${BOUNDARY}`) {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (i < chunks.length) controller.enqueue(chunks[i++]!);
      else controller.close();
    },
  });
  return new Request("http://localhost/upload", { method: "POST", body, duplex: "half", headers: { "Content-Type": contentType } } as RequestInit);
}

const sizes = fc.array(fc.integer({ min: 1, max: 4096 }), { minLength: 1, maxLength: 8 });
const limitFor = () => 1 * MB;

type Outcome = { ok: true; result: Awaited<ReturnType<typeof readUpload>> } | { ok: false; error: unknown };

/** Reads a body into a fresh directory; checks what every outcome must satisfy, then `check`. */
async function read(chunks: Buffer[], check?: (outcome: Outcome) => void) {
  const dir = mkdtempSync(path.join(root, "r-"));
  try {
    const outcome: Outcome = await readUpload(request(chunks), { tmpDir: dir, limitFor, maxDrainBytes: 1 * MB }).then(
      (result) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, error }),
    );
    if (outcome.ok) {
      const { file } = outcome.result;
      // Only the returned file is left in the temp directory, with the size and hash it reports.
      expect(readdirSync(dir)).toEqual(file ? [path.basename(file.path)] : []);
      if (file) {
        const bytes = readFileSync(file.path);
        expect(bytes.length).toBe(file.size);
        expect(file.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      }
    } else {
      // Refused: a clear UploadError (never a TypeError, a RangeError…), nothing left on disk.
      expect(outcome.error).toBeInstanceOf(UploadError);
      expect([400, 413]).toContain((outcome.error as UploadError).status);
      expect(readdirSync(dir)).toEqual([]);
    }
    check?.(outcome);
    return outcome;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const exactly = (parts: Part[]) => (outcome: Outcome) => {
  expect(outcome.ok).toBe(true);
  if (!outcome.ok) return;
  const { fields, file } = outcome.result;
  const sentFields = parts.filter((p): p is Field => p.kind === "field");
  expect([...fields.entries()]).toEqual(sentFields.map((p) => [p.name, p.value]));
  const sentFile = parts.find((p): p is File => p.kind === "file");
  if (!sentFile) return expect(file).toBeUndefined();
  // The name as every shown or served name is cleaned (file-name.ts); the bytes exactly as sent.
  expect(file).toMatchObject({ fieldName: sentFile.name, filename: cleanFileName(sentFile.filename, "archivo.pdf"), size: sentFile.data.length });
  expect(readFileSync(file!.path).equals(sentFile.data)).toBe(true);
};

const RUNS = { numRuns: 150, interruptAfterTimeLimit: 60_000 };

test("fuzz: a well-formed body, split anywhere, comes out exactly as sent", async () => {
  await fc.assert(
    fc.asyncProperty(wellFormed, sizes, async (parts, s) => {
      const body = Buffer.concat([...parts.map(partBytes), closing]);
      await read(split(body, s), exactly(parts));
    }),
    RUNS,
  );
});

test("fuzz: parts after the closing boundary are ignored (the epilogue)", async () => {
  await fc.assert(
    fc.asyncProperty(wellFormed, fc.array(fc.oneof(field, file), { minLength: 1, maxLength: 3 }), sizes, async (parts, after, s) => {
      const body = Buffer.concat([...parts.map(partBytes), closing, ...after.map(partBytes), closing]);
      await read(split(body, s), exactly(parts));
    }),
    RUNS,
  );
});

/** Ways to break a well-formed body. */
const mutation = fc.oneof(
  // A broken boundary: one byte of one delimiter changed.
  fc.record({ kind: fc.constant("boundary" as const), which: fc.nat(), at: fc.integer({ min: 0, max: BOUNDARY.length + 1 }), byte: fc.integer({ min: 0, max: 255 }) }),
  // A huge part header (up to 40 KB) in one part.
  fc.record({ kind: fc.constant("huge-header" as const), which: fc.nat(), size: fc.integer({ min: 1, max: 40_000 }) }),
  // A CRLF missing: after a delimiter, inside the headers, before the body or the closing one.
  fc.record({ kind: fc.constant("missing-crlf" as const), which: fc.nat() }),
  // Cut short anywhere (the client went away).
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  // Random bytes inserted or overwritten anywhere.
  fc.record({ kind: fc.constant("garbage" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }), overwrite: fc.boolean() }),
  // No closing boundary at all, or only a preamble.
  fc.record({ kind: fc.constant("no-end" as const) }),
);

function indexesOf(body: Buffer, needle: string): number[] {
  const found: number[] = [];
  for (let at = body.indexOf(needle); at !== -1; at = body.indexOf(needle, at + 1)) found.push(at);
  return found;
}

function mutate(body: Buffer, m: typeof mutation extends fc.Arbitrary<infer T> ? T : never): Buffer {
  const pick = (list: number[], n: number) => (list.length ? list[n % list.length] : undefined);
  switch (m.kind) {
    case "boundary": {
      const at = pick(indexesOf(body, `--${BOUNDARY}`), m.which);
      if (at === undefined) return body;
      const copy = Buffer.from(body);
      copy[at + (m.at % (BOUNDARY.length + 2))] = m.byte;
      return copy;
    }
    case "huge-header": {
      const at = pick(indexesOf(body, "Content-Disposition"), m.which);
      if (at === undefined) return body;
      const header = Buffer.from(`X-Padding: ${"a".repeat(m.size)}${CRLF}`);
      return Buffer.concat([body.subarray(0, at), header, body.subarray(at)]);
    }
    case "missing-crlf": {
      const at = pick(indexesOf(body, CRLF), m.which);
      if (at === undefined) return body;
      return Buffer.concat([body.subarray(0, at), body.subarray(at + 2)]);
    }
    case "truncate":
      return body.subarray(0, m.at % (body.length + 1));
    case "garbage": {
      const at = m.at % (body.length + 1);
      const bytes = Buffer.from(m.bytes);
      return m.overwrite
        ? Buffer.concat([body.subarray(0, at), bytes, body.subarray(Math.min(body.length, at + bytes.length))])
        : Buffer.concat([body.subarray(0, at), bytes, body.subarray(at)]);
    }
    case "no-end":
      return body.subarray(0, Math.max(0, body.length - closing.length));
  }
}

test("fuzz: malformed bodies (broken boundaries, huge headers, missing CRLF, cut short, garbage) end in a result or an UploadError, nothing left behind", async () => {
  await fc.assert(
    fc.asyncProperty(wellFormed, fc.array(mutation, { minLength: 1, maxLength: 3 }), sizes, async (parts, mutations, s) => {
      let body: Buffer = Buffer.concat([...parts.map(partBytes), closing]);
      for (const m of mutations) body = mutate(body, m);
      await read(split(body, s));
    }),
    RUNS,
  );
});

test("fuzz: arbitrary bytes as the body, and hostile Content-Type boundaries, are refused as 400", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ maxLength: 5000 }), sizes, async (bytes, s) => {
      const outcome = await read(split(Buffer.from(bytes), s));
      // Random bytes hold no closing delimiter of this boundary.
      expect(outcome.ok).toBe(false);
    }),
    RUNS,
  );
  const body = () => [Buffer.concat([partBytes({ kind: "field", name: "a", value: "b" }), closing])];
  for (const contentType of ["multipart/form-data", "multipart/form-data; boundary=", "text/plain", "application/x-www-form-urlencoded"]) {
    const error = await readUpload(request(body(), contentType), { tmpDir: root, limitFor }).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "not_multipart" });
  }
  // A boundary longer than RFC 2046's 70 characters never matches the body's.
  const error = await readUpload(request(body(), `multipart/form-data; boundary="${"x".repeat(71)}"`), { tmpDir: root, limitFor }).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 400 });
});

test("a header block larger than 16 KiB is refused as malformed, not buffered without end", async () => {
  const body = Buffer.concat([
    Buffer.from(`--${BOUNDARY}${CRLF}Content-Disposition: form-data; name="a"${CRLF}X-Padding: ${"a".repeat(17 * 1024)}${CRLF}${CRLF}b${CRLF}`),
    closing,
  ]);
  const error = await readUpload(request([body]), { tmpDir: root, limitFor }).catch((e: unknown) => e);
  expect(error).toMatchObject({ status: 400, code: "malformed" });
});
