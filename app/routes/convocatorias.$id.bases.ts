import { Readable } from "node:stream";
import { findBases } from "~/features/convocatorias/find-bases.server";
import { getPrincipal } from "~/web/auth.server";
import { contentDisposition } from "~/shared/file-name";
import { isUuid } from "~/shared/ids";
import type { Route } from "./+types/convocatorias.$id.bases";

/**
 * The bases PDF, streamed from storage (helmet adds nosniff to every answer): anyone for a published convocatoria; a borrador's
 * only for the HR office (to everyone else it does not exist).
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { db, storage } = context.services;
  const notFound = () => new Response("Las bases no existen.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!isUuid(params.id)) return notFound();
  const bases = await findBases(db, params.id, () => getPrincipal(request, context));
  if (!bases) return notFound();
  const etag = `"${bases.sha256}"`;
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": contentDisposition("attachment", bases.filename ?? "bases.pdf"),
    "Cache-Control": bases.privada ? "private, no-store" : "public, max-age=60",
    ETag: etag,
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const stream = await storage.get(bases.key);
  if (bases.size) headers.set("Content-Length", String(bases.size));
  return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
}
