import { Readable } from "node:stream";
import { findFormatoVigente } from "~/features/declaraciones/find-formato.server";
import { contentDisposition } from "~/shared/file-name";
import type { Route } from "./+types/declaraciones-juradas.$id";

/** One current format file, streamed from storage as an attachment. */
export async function loader({ request, params, context }: Route.LoaderArgs) {
  const { db, storage } = context.services;
  const row = await findFormatoVigente(db, params.id);
  if (!row) return new Response("El formato no existe.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const etag = `"${row.sha256}"`;
  const headers = new Headers({
    "Content-Type": row.contentType,
    "Content-Disposition": contentDisposition("attachment", row.filename, row.filename.split(".").pop()),
    "Cache-Control": "public, max-age=60",
    ETag: etag,
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(row.size));
  return new Response(Readable.toWeb(await storage.get(row.storageKey)) as ReadableStream, { headers });
}
