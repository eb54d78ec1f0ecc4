import { randomUUID } from "node:crypto";
import { createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { once } from "node:events";
import { finished } from "node:stream/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { data, type AppLoadContext } from "react-router";
import { hashWhileWriting, type FileHash } from "~/platform/file-hash.server";
import { cleanFileName } from "~/shared/file-name";
import type { UploadedFile } from "~/shared/uploaded-file";
import { assertFormFields, readForm, type FormErrors } from "./forms.server";

/**
 * File uploads, the ONE reader of every file the app receives: a postulación's documents
 * (documento-upload.server.ts), a convocatoria's bases and the Declaraciones Juradas formats
 * (readFormWithFile, below). A multipart/form-data request read as a STREAM. The file part goes to a
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
 * is the same format, streaming (docs/decisions/008: the bases were the last user of that parser).
 *
 * When an upload is refused mid-stream, the rest of the body is read and thrown away (up
 * to `maxDrainBytes`, then the connection is dropped) so that the browser receives the
 * 413 page instead of a connection reset.
 */
export const MB = 1024 * 1024;

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
 * readUpload with the field and CSRF checks of forms.server.ts (assertFormFields) and DATA_DIR/tmp. `onFieldsRead` is
 * called once the fields before the file are read and the CSRF token is good (when the
 * file part starts, or at the end when none came): where the work that needs no file can
 * start, to run while the file arrives. The fields sent after the file are checked too,
 * once the body is read.
 */
export async function readUploadForm(
  request: Request,
  context: AppLoadContext,
  options: Omit<ReadUploadOptions, "tmpDir" | "beforeFile"> & { tmpDir?: string; onFieldsRead?: (fields: FormData) => void },
): Promise<UploadResult> {
  const { onFieldsRead, ...rest } = options;
  const upload = await readUpload(request, {
    ...rest,
    nodeBody: context.takeNodeBody?.(),
    tmpDir: options.tmpDir ?? path.join(context.services.config.dataDir, "tmp"),
    beforeFile: (fields) => {
      assertFormFields(fields, context);
      onFieldsRead?.(fields);
    },
  });
  try {
    assertFormFields(upload.fields, context);
  } catch (error) {
    await discardUpload(upload.file);
    throw error;
  }
  return upload;
}

export type FormWithFile =
  | { ok: true; formData: FormData; file: UploadedFile | undefined }
  /** Too large or unreadable: nothing kept; `answer` puts the message at the file's field (and so in the summary). */
  | { ok: false; answer: ReturnType<typeof data<FormErrors>> };

/**
 * A staff form that may carry one file in `field` (a convocatoria's bases, a Declaraciones
 * Juradas format) as multipart, or none (urlencoded: the page's other buttons), read by
 * readUploadForm: streamed to a temp file and cut at `maxBytes` + 1 byte. A file in another
 * field is dropped. The caller owns `file` and discards it in a `finally`:
 *
 *   const read = await readFormWithFile(request, context, { field: "bases", maxBytes, tooLargeMessage });
 *   if (!read.ok) return read.answer;
 *   try { …useCase({ bases: read.file })… } finally { await discardUpload(read.file) }
 */
export async function readFormWithFile(
  request: Request,
  context: AppLoadContext,
  options: { field: string; maxBytes: number; tooLargeMessage: string },
): Promise<FormWithFile> {
  // A multipart body without a usable boundary is the reader's to refuse (400), as before.
  if (!MULTIPART.test(request.headers.get("content-type") ?? "")) {
    return { ok: true, formData: await readForm(request, context), file: undefined };
  }
  let upload: UploadResult;
  try {
    // The convocatoria's form sends 70 fields (nine cronograma rows of five); 200 parts, as the form-data-parser this replaced allowed.
    upload = await readUploadForm(request, context, { limitFor: () => options.maxBytes, maxFields: 200 });
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    const tooLarge = error.code === "too_large";
    if (tooLarge) context.logger.info({ field: options.field }, "upload refused: too large");
    else context.logger.warn({ code: error.code }, "upload refused: unreadable form");
    const message = tooLarge ? options.tooLargeMessage : "No se pudo leer el formulario. Inténtelo de nuevo.";
    return { ok: false, answer: data({ errors: { [options.field]: message }, values: {} } satisfies FormErrors, { status: error.status }) };
  }
  let { file } = upload;
  if (file && file.fieldName !== options.field) {
    await discardUpload(file);
    file = undefined;
  }
  return { ok: true, formData: upload.fields, file };
}

/** Deletes the temp file of an upload (idempotent). */
export async function discardUpload(file: UploadedFile | undefined): Promise<void> {
  if (file) await rm(file.path, { force: true });
}

const MULTIPART = /^multipart\/form-data/i;

export function multipartBoundary(contentType: string | null): string | undefined {
  if (!contentType || !MULTIPART.test(contentType)) return undefined;
  const match = /boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType);
  return match ? (match[1] ?? match[2]) : undefined;
}

type PartHeaders = { name: string | undefined; filename: string | undefined; contentType: string };

/** Browsers escape `"`, CR and LF in names as %22, %0D, %0A (HTML spec); nothing else. */
const unescapeName = (value: string) => value.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");

export function parsePartHeaders(raw: string): PartHeaders {
  const headers: PartHeaders = { name: undefined, filename: undefined, contentType: "application/octet-stream" };
  for (const line of raw.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon === -1) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") headers.contentType = value.slice(0, 200);
    if (key !== "content-disposition") continue;
    // Browsers send quoted values raw (a backslash is a backslash: old browsers sent
    // Windows paths) with only `"`, CR and LF percent-escaped.
    const params = /;\s*([^=;\s]+)\s*=\s*(?:"([^"]*)"|([^;]*))/g;
    let m;
    while ((m = params.exec(value))) {
      const param = m[1]!.toLowerCase();
      const raw = m[2] ?? m[3]!.trim();
      if (param === "name") headers.name = unescapeName(raw);
      else if (param === "filename" && headers.filename === undefined) headers.filename = unescapeName(raw);
      else if (param === "filename*") {
        const ext = /^utf-8'[^']*'(.*)$/i.exec(raw);
        if (ext) {
          try {
            headers.filename = decodeURIComponent(ext[1]!);
          } catch {
            /* keep the plain filename */
          }
        }
      }
    }
  }
  return headers;
}

const MALFORMED = "No se pudo leer el archivo enviado. Inténtelo de nuevo.";

export async function readUpload(request: Request, options: ReadUploadOptions): Promise<UploadResult> {
  const fields = new FormData();
  const boundary = multipartBoundary(request.headers.get("content-type"));
  const reader = boundary ? bodyReader(request, options.nodeBody) : undefined;
  if (!boundary || !reader) {
    throw new UploadError("not_multipart", 400, MALFORMED, fields);
  }
  const maxFiles = options.maxFiles ?? 1;
  const maxFields = options.maxFields ?? 100;
  const maxFieldBytes = options.maxFieldBytes ?? 64 * 1024;
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const malformed = () => new UploadError("malformed", 400, MALFORMED, fields);

  let file: UploadedFile | undefined;
  let fileCount = 0;
  let fieldCount = 0;
  let checkedBeforeFile = false;
  // The part being read.
  let part:
    | { kind: "field"; name: string; chunks: Buffer[]; size: number }
    | {
        kind: "file";
        headers: PartHeaders & { name: string };
        tmp: string;
        limit: number;
        size: number;
        sink: FileSink;
      }
    | { kind: "skip" }
    | undefined;

  const startPart = async (headers: PartHeaders) => {
    if (!headers.name) {
      part = { kind: "skip" };
      return;
    }
    if (headers.filename === undefined) {
      if (++fieldCount > maxFields) throw malformed();
      part = { kind: "field", name: headers.name, chunks: [], size: 0 };
      return;
    }
    if (!checkedBeforeFile) {
      checkedBeforeFile = true;
      await options.beforeFile?.(fields);
    }
    if (headers.filename === "") {
      part = { kind: "skip" }; // an <input type="file"> left empty
      return;
    }
    if (++fileCount > maxFiles) throw new UploadError("too_many_files", 400, "Envíe un solo archivo a la vez.", fields);
    await mkdir(options.tmpDir, { recursive: true });
    const tmp = path.join(options.tmpDir, `${randomUUID()}.upload`);
    const sink = await FileSink.create(tmp);
    part = {
      kind: "file",
      headers: { ...headers, name: headers.name },
      tmp,
      limit: options.limitFor(fields, headers.name),
      size: 0,
      sink,
    };
  };

  const partData = async (data: Buffer) => {
    if (!part || data.length === 0) return;
    if (part.kind === "field") {
      part.size += data.length;
      if (part.size > maxFieldBytes) throw malformed();
      part.chunks.push(Buffer.from(data));
    } else if (part.kind === "file") {
      if (part.size + data.length > part.limit) {
        throw new UploadError("too_large", 413, `El archivo supera el tamaño máximo de ${fmtMb.format(part.limit / MB)} MB`, fields);
      }
      part.size += data.length;
      await part.sink.write(data);
    }
  };

  const endPart = async () => {
    if (part?.kind === "field") {
      fields.append(part.name, Buffer.concat(part.chunks).toString("utf8"));
    } else if (part?.kind === "file") {
      const current = part;
      const sha256 = await current.sink.end();
      const size = current.size;
      file = {
        fieldName: current.headers.name,
        path: current.tmp,
        size,
        sha256,
        filename: cleanFileName(current.headers.filename, "archivo.pdf"),
        contentType: current.headers.contentType,
      };
    }
    part = undefined;
  };

  type State = "preamble" | "after" | "headers" | "body" | "done";
  let state = "preamble" as State;
  // A virtual CRLF before the first boundary, so that every boundary is `delimiter`.
  let buf: Buffer = Buffer.from("\r\n");

  const consume = async () => {
    for (;;) {
      if (state === "preamble") {
        const at = buf.indexOf(delimiter);
        if (at === -1) {
          if (buf.length > 64 * 1024) throw malformed();
          return;
        }
        buf = buf.subarray(at + delimiter.length);
        state = "after";
      }
      if (state === "after") {
        if (buf.length < 2) return;
        if (buf[0] === 0x2d && buf[1] === 0x2d) {
          state = "done";
          return;
        }
        const eol = buf.indexOf("\r\n");
        if (eol === -1) {
          if (buf.length > 256) throw malformed();
          return;
        }
        if (buf.subarray(0, eol).toString("latin1").trim() !== "") throw malformed();
        buf = buf.subarray(eol + 2);
        state = "headers";
      }
      if (state === "headers") {
        const end = buf.indexOf("\r\n\r\n");
        // Also when the whole block came in one chunk: the bound must not depend on the chunking.
        if (end > 16 * 1024) throw malformed();
        if (end === -1) {
          if (buf.length > 16 * 1024) throw malformed();
          return;
        }
        const headers = parsePartHeaders(buf.subarray(0, end).toString("utf8"));
        buf = buf.subarray(end + 4);
        state = "body";
        await startPart(headers);
      }
      if (state === "body") {
        const at = buf.indexOf(delimiter);
        if (at === -1) {
          const safe = buf.length - (delimiter.length - 1);
          if (safe > 0) {
            await partData(buf.subarray(0, safe));
            buf = buf.subarray(safe);
          }
          return;
        }
        await partData(buf.subarray(0, at));
        await endPart();
        buf = buf.subarray(at + delimiter.length);
        state = "after";
      }
      if (state === "done") return;
    }
  };

  try {
    for (;;) {
      const { done, value } = await reader.read().catch(() => {
        throw malformed(); // the client went away mid-upload
      });
      if (done) break;
      if (state === "done") continue; // the epilogue, ignored
      const chunk = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (state === "body" && buf.length > 0 && buf.length < delimiter.length && chunk.length >= delimiter.length) {
        // The middle of a part (most of a file): the chunk is not copied. What is left of
        // the previous chunk (shorter than the delimiter) is data unless a delimiter starts in it.
        const bridge = Buffer.concat([buf, chunk.subarray(0, delimiter.length - 1)]);
        if (bridge.indexOf(delimiter) === -1) {
          await partData(buf);
          buf = chunk;
        } else {
          buf = Buffer.concat([buf, chunk]);
        }
      } else {
        buf = buf.length === 0 ? chunk : Buffer.concat([buf, chunk]);
      }
      await consume();
    }
    if (state !== "done") throw malformed();
    if (!checkedBeforeFile) await options.beforeFile?.(fields);
    return { fields, file };
  } catch (error) {
    if (part?.kind === "file") {
      await part.sink.close();
      await rm(part.tmp, { force: true });
    }
    await discardUpload(file);
    await drain(reader, options.maxDrainBytes ?? 64 * MB);
    throw error;
  } finally {
    reader.release();
  }
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
 * (file-hash.server.ts), which reads it back off the event loop. 256 KiB, the batch of the
 * hand-written writev sink this replaced (in bench/uploads.mjs faster than 512 KiB: the hash
 * follows the writes more closely, less is held; and than 128 or 64 KiB). That sink against
 * this stream: docs/decisions/003-upload-temp-file-write-stream.md.
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
