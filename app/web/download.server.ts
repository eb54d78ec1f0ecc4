import { Readable, Transform } from "node:stream";
import type { Export } from "~/features/evaluacion/exportar.server";
import type { Storage } from "~/platform/storage.server";
import { contentDisposition } from "~/shared/file-name";

/**
 * A stored PDF as a download response: streamed from storage (never whole in memory),
 * `inline` so the browser shows it, a safe file name, no sniffing, no caching anywhere
 * but the user's own browser session.
 */
export function pdfResponse(storage: Storage, key: string, filename: string, size?: number): Promise<Response> {
  return storedFileResponse(storage, key, { contentType: "application/pdf", disposition: contentDisposition("inline", filename), size });
}

/** Any stored file as a response, streamed from storage: its type, its Content-Disposition, private. */
export async function storedFileResponse(storage: Storage, key: string, file: { contentType: string; disposition: string; size?: number }): Promise<Response> {
  const body = Readable.toWeb(await storage.get(key)) as ReadableStream<Uint8Array>;
  const headers = new Headers({
    "Content-Type": file.contentType,
    "Content-Disposition": file.disposition,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  });
  if (file.size !== undefined) headers.set("Content-Length", String(file.size));
  return new Response(body, { status: 200, headers });
}

export function notFound(): Response {
  return new Response("No encontrado.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}

/**
 * Gathers the many tiny writes of a ZIP writer (a header, a small file, a descriptor…) into
 * 64 KiB chunks before they become web-stream chunks: thousands of tiny chunks through the
 * Response cost far more (time and garbage, hence RSS) than the bytes themselves.
 */
function coalesce(size = 64 * 1024): Transform {
  let parts: Buffer[] = [];
  let length = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      parts.push(chunk);
      length += chunk.length;
      if (length >= size) {
        const out = Buffer.concat(parts, length);
        parts = [];
        length = 0;
        cb(null, out);
      } else cb();
    },
    flush(cb) {
      cb(null, length ? Buffer.concat(parts, length) : undefined);
    },
  });
}

/** An export (a workbook, a ZIP) as an attachment, streamed in 64 KiB chunks. */
export function attachmentResponse({ body, contentType, filename }: Export): Response {
  const out = body.pipe(coalesce());
  body.on("error", (e) => out.destroy(e));
  return new Response(Readable.toWeb(out) as ReadableStream, {
    headers: {
      "Content-Type": contentType,
      "Content-Disposition": contentDisposition("attachment", filename, filename.split(".").pop()),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
