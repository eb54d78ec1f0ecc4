import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, readdir, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import busboy from "busboy";
import type { AppLoadContext } from "react-router";
import { CSRF_FIELD } from "./csrf.server";
import { hashWhileWriting, type FileHash } from "./file-hash.server";
import { assertCsrf } from "./forms.server";

/**
 * File uploads: a multipart/form-data request read as a STREAM. The file part goes to a
 * temp file under DATA_DIR/tmp while it arrives (never whole in memory), hashed with
 * SHA-256 on the way (by a worker thread, from the file: file-hash.server.ts), and is cut
 * at its byte limit: at limit + 1 byte the temp file is
 * deleted and an UploadError 413 "El archivo supera el tamaño máximo de N MB" thrown.
 * The limit may depend on text fields sent BEFORE the file (the document type): the
 * form must put them, and the CSRF hidden field, before the <input type="file">.
 *
 *   const { fields, file } = await readUploadForm(request, context, {
 *     limitFor: (fields) => limitOfTipo(fields.get("tipo")),   // bytes; MB = 1024 × 1024
 *   });
 *   // CSRF already checked (a bad token is a 403 before a byte of the file is kept).
 *   try { …parseForm(schema, fields)…; inspectPdf(file.path, …); storage.putFile(key, file.path) }
 *   finally { await discardUpload(file) }
 *
 *   catch (e) { if (e instanceof UploadError) return invalid(e.fields, { archivo: e.message }, e.status) }
 *
 * Why not @remix-run/form-data-parser: its 0.17 parser (multipart-parser 0.16) hands a
 * file part over only once it is COMPLETE, buffered in memory in full (MultipartPart.content
 * is the array of its chunks); 50 concurrent 10 MB uploads would hold 500 MB. This reader
 * is the same format, streaming.
 *
 * When an upload is refused mid-stream, the rest of the body is read and thrown away (up
 * to `maxDrainBytes`, then the connection is dropped) so that the browser receives the
 * 413 page instead of a connection reset.
 */
export const MB = 1024 * 1024;

export type UploadedFile = {
  /** The <input> name. */
  fieldName: string;
  /** Temp file under tmpDir: the caller moves it to storage or deletes it (discardUpload). */
  path: string;
  size: number;
  sha256: string;
  /** As the browser sent it (control characters removed, at most 255 characters): show escaped. */
  filename: string;
  /** As declared by the browser: not to be trusted. */
  contentType: string;
};

export type UploadResult = { fields: FormData; file: UploadedFile | undefined };

export type UploadErrorCode = "too_large" | "malformed" | "too_many_files" | "not_multipart";

const fmtMb = new Intl.NumberFormat("es-PE", { maximumFractionDigits: 1 });

export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    readonly status: 400 | 413,
    message: string,
    /** The text fields read before the error, to render the form again. */
    readonly fields: FormData,
  ) {
    super(message);
    this.name = "UploadError";
  }
}

export type ReadUploadOptions = {
  tmpDir: string;
  /** The body as the Node stream (context.takeNodeBody), read instead of the Request's. */
  nodeBody?: Readable;
  /** Byte limit of a file part, from the fields read before it. */
  limitFor: (fields: FormData, fieldName: string) => number;
  /** Called when a file part starts (and at the end if none came): throw to refuse. */
  beforeFile?: (fields: FormData) => void | Promise<void>;
  maxFiles?: number;
  maxFields?: number;
  maxFieldBytes?: number;
  /** How much of a refused body is read and discarded before the connection is dropped. */
  maxDrainBytes?: number;
};

/**
 * readUpload with the CSRF check of forms.server.ts and DATA_DIR/tmp. `onFieldsRead` is
 * called once the fields before the file are read and the CSRF token is good (when the
 * file part starts, or at the end when none came): where the work that needs no file can
 * start, to run while the file arrives.
 */
export function readUploadForm(
  request: Request,
  context: AppLoadContext,
  options: Omit<ReadUploadOptions, "tmpDir" | "beforeFile"> & { tmpDir?: string; onFieldsRead?: (fields: FormData) => void },
): Promise<UploadResult> {
  const { onFieldsRead, ...rest } = options;
  return readUpload(request, {
    ...rest,
    nodeBody: context.takeNodeBody?.(),
    tmpDir: options.tmpDir ?? path.join(context.services.config.dataDir, "tmp"),
    beforeFile: (fields) => {
      assertCsrf(fields.get(CSRF_FIELD), context);
      onFieldsRead?.(fields);
    },
  });
}

/**
 * Deletes temp files left in `tmpDir` by a process that died mid-upload (SIGKILL, power
 * loss): call at start. Only files older than `olderThanMs` (default 1 h), so another
 * server sharing DATA_DIR keeps its uploads in progress. Returns how many were deleted.
 */
export async function sweepTempFiles(tmpDir: string, olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const name of names) {
    if (!/\.(upload|s3-spool|pdf|sanitizado)$/.test(name)) continue; // sanitizado: an upload's sanitised copy
    const file = path.join(tmpDir, name);
    try {
      if (now - (await stat(file)).mtimeMs > olderThanMs) {
        await rm(file, { force: true });
        deleted++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return deleted;
}

/** Deletes the temp file of an upload (idempotent). */
export async function discardUpload(file: UploadedFile | undefined): Promise<void> {
  if (file) await rm(file.path, { force: true });
}

export function multipartBoundary(contentType: string | null): string | undefined {
  if (!contentType || !/^multipart\/form-data/i.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Browsers escape `"`, CR and LF in names as %22, %0D, %0A (HTML spec); nothing else. */
const unescapeName = (value: string) => value.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");

/** A file name fit to keep and show: no control characters, at most 255 characters. */
export function cleanFileName(name: string): string {
  const cleaned = [...name.normalize("NFC").replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, "")].slice(0, 255).join("").trim();
  return cleaned || "archivo";
}

const MALFORMED = "No se pudo leer el archivo enviado. Inténtelo de nuevo.";

export async function readUpload(request: Request, options: ReadUploadOptions): Promise<UploadResult> {
  const fields = new FormData();
  const contentType = request.headers.get("content-type");
  const boundary = multipartBoundary(contentType);
  const reader = boundary ? bodyReader(request, options.nodeBody) : undefined;
  if (!boundary || !reader) {
    throw new UploadError("not_multipart", 400, MALFORMED, fields);
  }
  const maxFiles = options.maxFiles ?? 1;
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024;
  const malformed = () => new UploadError("malformed", 400, MALFORMED, fields);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType! },
      // Browsers send names as raw UTF-8; keep a name's backslashes (no path is taken from it).
      defParamCharset: "utf8",
      preservePath: true,
      // One socket chunk: the file's bytes wait in the request, not here, while a write is pending.
      fileHwm: 64 * 1024,
      // One byte over the limit marks the value truncated: refused below.
      limits: { fieldSize: maxFieldBytes + 1, fields: options.maxFields ?? 100 },
    });
  } catch {
    reader.release();
    throw new UploadError("not_multipart", 400, MALFORMED, fields);
  }

  // The first refusal wins; the body is then drained and the parser dropped.
  let failure: unknown;
  let signalFailure!: () => void;
  const failed = new Promise<void>((resolve) => (signalFailure = resolve));
  const fail = (error: unknown) => {
    if (failure !== undefined) return;
    failure = error;
    signalFailure();
  };

  let file: UploadedFile | undefined;
  /** The temp file being written, deleted if anything fails. */
  let receiving: { tmp: string; sink: FileSink } | undefined;
  let fileCount = 0;
  let checkedBeforeFile = false;
  // File parts are handled one after another (the body's order).
  let work: Promise<void> = Promise.resolve();

  const receiveFile = async (name: string, stream: Readable, info: busboy.FileInfo, before: FormData) => {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const next = () =>
      chunks.next().catch(() => {
        throw malformed(); // the body ended inside the part
      });
    if (info.filename === undefined) {
      // busboy takes a part of type application/octet-stream for a file even without a
      // filename; for a form it is a field.
      const parts: Buffer[] = [];
      let size = 0;
      for (let chunk = await next(); !chunk.done; chunk = await next()) {
        size += chunk.value.length;
        if (size > maxFieldBytes) throw malformed();
        parts.push(chunk.value);
      }
      fields.append(name, Buffer.concat(parts).toString("utf8"));
      return;
    }
    if (!checkedBeforeFile) {
      checkedBeforeFile = true;
      await options.beforeFile?.(before);
    }
    if (info.filename === "") {
      stream.resume(); // an <input type="file"> left empty
      return;
    }
    if (++fileCount > maxFiles) throw new UploadError("too_many_files", 400, "Envíe un solo archivo a la vez.", fields);
    const limit = options.limitFor(before, name);
    await mkdir(options.tmpDir, { recursive: true });
    const tmp = path.join(options.tmpDir, `${randomUUID()}.upload`);
    receiving = { tmp, sink: await FileSink.create(tmp) };
    const { sink } = receiving;
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => {
        if (size + chunk.length > limit) {
          stream.pause();
          return reject(new UploadError("too_large", 413, `El archivo supera el tamaño máximo de ${fmtMb.format(limit / MB)} MB`, fields));
        }
        size += chunk.length;
        if (!sink.push(chunk)) {
          stream.pause();
          sink.drained().then(() => stream.resume(), reject);
        }
      });
      stream.once("end", resolve);
      stream.once("error", () => reject(malformed()));
      if (stream.errored || stream.destroyed) reject(malformed()); // before this part's turn came
    });
    const sha256 = await sink.end();
    receiving = undefined;
    file = { fieldName: name, path: tmp, size, sha256, filename: cleanFileName(unescapeName(info.filename)), contentType: info.mimeType.slice(0, 200) };
  };

  parser.on("field", (name: string | undefined, value: string, info: busboy.FieldInfo) => {
    if (name === undefined) return; // a part without a name: not a form field
    if (info.valueTruncated) return fail(malformed());
    fields.append(unescapeName(name), value);
  });
  parser.on("file", (name: string | undefined, stream: Readable, info: busboy.FileInfo) => {
    stream.on("error", () => {}); // reported by the parser's own "error" (and to a reader of the part)
    if (name === undefined || failure !== undefined) {
      stream.resume();
      return;
    }
    // The fields sent BEFORE this part decide its limit and pass the CSRF check; later
    // ones may be parsed meanwhile.
    const before = new FormData();
    for (const [key, value] of fields) before.append(key, value);
    work = work.then(() => receiveFile(unescapeName(name), stream, info, before)).catch(fail);
  });
  parser.on("fieldsLimit", () => fail(malformed()));
  parser.on("error", () => fail(malformed())); // a broken part header, the body ending inside the form

  const epilogue = closingDelimiter(boundary);
  try {
    for (;;) {
      if (failure !== undefined) break;
      const read = await reader.read().then(
        (result) => result,
        () => undefined, // the client went away mid-upload
      );
      if (!read) {
        fail(malformed());
        break;
      }
      if (read.done) {
        parser.end();
        await Promise.race([new Promise((resolve) => parser.once("finish", resolve)), failed]);
        break;
      }
      if (epilogue.ended) continue; // ignored, as RFC 2046 says
      const { value } = read;
      let chunk = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      const end = epilogue.find(chunk);
      if (end !== -1) chunk = chunk.subarray(0, end);
      if (!parser.write(chunk)) await Promise.race([new Promise((resolve) => parser.once("drain", resolve)), failed]);
    }
    await work;
    if (failure === undefined && !checkedBeforeFile) await options.beforeFile?.(fields);
    if (failure !== undefined) throw failure;
    return { fields, file };
  } catch (error) {
    // A file part still waiting for bytes ends with the parser.
    parser.destroy();
    await work;
    if (receiving) {
      await receiving.sink.close();
      await rm(receiving.tmp, { force: true });
    }
    await discardUpload(file);
    await drain(reader, options.maxDrainBytes ?? 64 * MB);
    throw error;
  } finally {
    reader.release();
  }
}

/**
 * Finds the end of the closing delimiter (`CRLF--boundary--`) across chunks. busboy 1.6
 * goes on parsing the rest of a chunk after it (parts after the end became fields, or a
 * part cut by the chunk's end refused the body: upload.fuzz.test.ts), so only the bytes up
 * to it are handed to busboy.
 */
function closingDelimiter(boundary: string) {
  const closing = Buffer.from(`\r\n--${boundary}--`);
  // The end of the bytes seen so far, shorter than the delimiter; a virtual CRLF first, as
  // busboy adds one for a body without preamble.
  let tail: Buffer = Buffer.from("\r\n");
  const state = {
    ended: false,
    /** Where the delimiter ends in `chunk`, or -1. */
    find(chunk: Buffer): number {
      const keep = closing.length - 1;
      const bridge = Buffer.concat([tail, chunk.subarray(0, keep)]);
      let at = bridge.indexOf(closing);
      let end = at === -1 ? -1 : at + closing.length - tail.length;
      if (end === -1) {
        at = chunk.indexOf(closing);
        end = at === -1 ? -1 : at + closing.length;
      }
      tail = chunk.length >= keep ? Buffer.from(chunk.subarray(chunk.length - keep)) : bridge.subarray(Math.max(0, bridge.length - keep));
      state.ended = end !== -1;
      return end;
    },
  };
  return state;
}

/** What readUpload reads: the Node request itself, or the Request's body stream. */
type BodyReader = {
  read(): Promise<ReadableStreamReadResult<Uint8Array>>;
  /** Stops reading and drops the connection. */
  cancel(): Promise<void>;
  release(): void;
};

function bodyReader(request: Request, nodeBody: Readable | undefined): BodyReader | undefined {
  if (nodeBody) {
    const chunks = nodeBody[Symbol.asyncIterator]() as AsyncIterator<Buffer, undefined>;
    return {
      read: async () => {
        const next = await chunks.next();
        return next.done ? { done: true, value: undefined } : { done: false, value: next.value };
      },
      cancel: async () => {
        await chunks.return?.(); // destroys the request
      },
      release: () => {},
    };
  }
  if (!request.body) return undefined;
  const reader = request.body.getReader();
  return {
    read: () => reader.read(),
    cancel: () => reader.cancel(),
    release: () => reader.releaseLock(),
  };
}

/**
 * The temp file of an upload: an fs.WriteStream whose buffer of WRITE_BATCH bytes gathers
 * the chunks that arrive while a write is running and writes them with one writev (past
 * it, back-pressure on the request). Each completed write is reported to the file's hash
 * (file-hash.server.ts), which reads it back off the event loop. 256 KiB: in
 * bench/uploads.mjs faster than 512 KiB (the hash follows the writes more closely, less is
 * held) and than 128 or 64 KiB.
 */
const WRITE_BATCH = 256 * 1024;
class FileSink {
  private reported = 0;
  private constructor(
    private readonly stream: WriteStream,
    private readonly hash: FileHash,
  ) {}

  static async create(file: string): Promise<FileSink> {
    const stream = createWriteStream(file, { flags: "wx", highWaterMark: WRITE_BATCH });
    await once(stream, "open");
    return new FileSink(stream, hashWhileWriting(file));
  }

  private readonly onWritten = (error: Error | null | undefined) => {
    if (error || this.stream.bytesWritten === this.reported) return; // one report per writev
    this.reported = this.stream.bytesWritten;
    this.hash.written(this.reported);
  };

  /** Writes a chunk; false when the buffer is full (wait for drained()). */
  push(chunk: Buffer): boolean {
    return this.stream.write(chunk, this.onWritten);
  }

  drained(): Promise<unknown> {
    return this.stream.errored ? Promise.reject(this.stream.errored) : once(this.stream, "drain");
  }

  /** Resolves at once unless the buffer is full; rejects with a write's error (disk full). */
  async write(chunk: Buffer): Promise<void> {
    if (this.stream.errored) throw this.stream.errored;
    if (!this.stream.write(chunk, this.onWritten)) await once(this.stream, "drain");
  }

  /** Everything written, the file closed, its SHA-256 (hex); a write error rejects. */
  async end(): Promise<string> {
    await finished(this.stream.end());
    if (!this.stream.closed) await once(this.stream, "close");
    return this.hash.digest(this.stream.bytesWritten);
  }

  /** Closes the file whatever happened (idempotent); the caller deletes it. */
  async close(): Promise<void> {
    this.hash.abort();
    if (this.stream.closed) return;
    const closed = once(this.stream, "close").catch(() => {});
    this.stream.destroy();
    await closed;
  }
}

/** Reads and drops the rest of a refused body; past `max` bytes the stream is cancelled. */
async function drain(reader: BodyReader, max: number) {
  let read = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      read += value.byteLength;
      if (read > max) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing left to drain.
  }
}
