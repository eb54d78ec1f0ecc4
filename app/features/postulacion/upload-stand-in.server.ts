import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  FormDataParseError, MaxFileSizeExceededError, MaxFilesExceededError, MaxTotalSizeExceededError, parseFormData,
} from "@remix-run/form-data-parser";

/**
 * STAND-IN until app/platform/upload.server.ts (helper-5) lands: reads a multipart form
 * with at most one file, writing the file to a temporary path; the request is cut at
 * `maxBytes` (the largest type's limit: the per-type limit is checked by the use case).
 */
export type ReceivedUpload =
  | { ok: true; formData: FormData; file?: { path: string; filename: string; size: number } }
  | { ok: false; status: 400 | 413 };

export async function receiveUpload(request: Request, options: { fileField: string; maxBytes: number }): Promise<ReceivedUpload> {
  let file: { path: string; filename: string; size: number } | undefined;
  try {
    const formData = await parseFormData(
      request,
      { maxFiles: 1, maxFileSize: options.maxBytes, maxParts: 100, maxTotalSize: options.maxBytes + 256 * 1024 },
      async (upload) => {
        if (upload.fieldName !== options.fileField || (upload.size === 0 && !upload.name)) return null;
        const target = path.join(tmpdir(), `cas-upload-${randomUUID()}`);
        await pipeline(Readable.fromWeb(upload.stream() as never), createWriteStream(target));
        file = { path: target, filename: upload.name, size: upload.size };
        return null;
      },
    );
    return { ok: true, formData, file };
  } catch (error) {
    if (file) await rm(file.path, { force: true });
    if (error instanceof MaxFileSizeExceededError || error instanceof MaxTotalSizeExceededError) {
      await discardRest(request, options.maxBytes * 4);
      return { ok: false, status: 413 };
    }
    if (error instanceof MaxFilesExceededError || error instanceof FormDataParseError) return { ok: false, status: 400 };
    throw error;
  }
}

/**
 * Reads and DROPS what is left of a refused body (up to `limit` bytes): closing a socket
 * with unread bytes makes the kernel send a reset, and the browser would show "connection
 * reset" instead of our 413 page. Nothing read here is kept.
 */
async function discardRest(request: Request, limit: number): Promise<void> {
  const body = request.body;
  if (!body) return;
  let reader: ReadableStreamDefaultReader<Uint8Array>;
  try {
    reader = body.getReader();
  } catch {
    return;
  }
  let seen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      seen += value.byteLength;
      if (seen > limit) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The client went away: nothing to drain.
  }
}
