import { Readable } from "node:stream";
import { eq } from "drizzle-orm";
import { convocatorias } from "~/db/schema";
import { can } from "~/shared/permissions";
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
  const c = await db.query.convocatorias.findFirst({
    where: eq(convocatorias.id, params.id),
    columns: { estado: true, basesKey: true, basesFilename: true, basesSha256: true, basesSize: true },
  });
  if (!c?.basesKey) return notFound();
  let cacheControl = "public, max-age=60";
  if (c.estado === "borrador") {
    const principal = await getPrincipal(request, context);
    const member =
      principal?.kind === "staff" ? await db.query.staff.findFirst({ where: (s, { eq: e }) => e(s.id, principal.staffId) }) : null;
    if (!member || member.disabledAt || !can(member.role, "manage:convocatoria")) return notFound();
    cacheControl = "private, no-store";
  }
  const etag = `"${c.basesSha256}"`;
  const headers = new Headers({
    "Content-Type": "application/pdf",
    "Content-Disposition": contentDisposition("attachment", c.basesFilename ?? "bases.pdf"),
    "Cache-Control": cacheControl,
    ETag: etag,
  });
  if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
  const stream = await storage.get(c.basesKey);
  if (c.basesSize) headers.set("Content-Length", String(c.basesSize));
  return new Response(Readable.toWeb(stream) as ReadableStream, { status: 200, headers });
}
