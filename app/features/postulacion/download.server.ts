import { Readable } from "node:stream";
import type { Storage } from "~/platform/storage.server";
import { contentDisposition } from "~/platform/file-name";

/**
 * A stored PDF as a download response: streamed from storage (never whole in memory),
 * `inline` so the browser shows it, a safe file name, no sniffing, no caching anywhere
 * but the user's own browser session.
 */
export async function pdfResponse(storage: Storage, key: string, filename: string, size?: number): Promise<Response> {
  const body = Readable.toWeb(await storage.get(key)) as ReadableStream<Uint8Array>;
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": contentDisposition("inline", filename),
    "Cache-Control": "private, no-store",
  });
  if (size !== undefined) headers.set("Content-Length", String(size));
  return new Response(body, { status: 200, headers });
}

export function notFound(): Response {
  return new Response("No encontrado.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
}
