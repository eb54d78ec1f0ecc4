import { Readable } from "node:stream";
import { isNotFound } from "~/platform/storage.server";
import type { Route } from "./+types/entidad.logo";

/**
 * The entity's logo (docs/administracion.md), public: the header of every page shows it. The
 * pages link it as /entidad/logo?v=<its SHA-256, 16 digits>, so a new logo is a new address:
 * that address is kept a year (immutable); any other (an old v, none) only 5 minutes. The type
 * is the one its bytes were checked to be when it was uploaded (PNG or JPEG); helmet adds
 * `X-Content-Type-Options: nosniff` to every answer (server/setup/security-headers.ts).
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { storage, entidad } = context.services;
  const noLogo = () =>
    new Response("La entidad no tiene logo.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=60" },
    });
  const { logo } = await entidad.current();
  if (!logo) return noLogo();
  const etag = `"${logo.sha256}"`;
  const current = new URL(request.url).searchParams.get("v") === logo.sha256.slice(0, 16);
  const headers = new Headers({
    "Content-Type": logo.contentType,
    "Content-Disposition": `inline; filename="logo.${logo.contentType === "image/png" ? "png" : "jpg"}"`,
    "Cache-Control": current ? "public, max-age=31536000, immutable" : "public, max-age=300",
    ETag: etag,
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  let stream: Readable;
  try {
    stream = await storage.get(logo.key);
  } catch (error) {
    // Replaced a moment ago by another process and swept: this process shows the new one within seconds.
    if (isNotFound(error)) return noLogo();
    throw error;
  }
  headers.set("Content-Length", String(logo.size));
  return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
}
