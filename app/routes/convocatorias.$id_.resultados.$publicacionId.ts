import { and, eq, ne } from "drizzle-orm";
import { Readable } from "node:stream";
import { convocatorias, publicaciones } from "~/db/schema";
import { isUuid } from "~/shared/ids";
import { notFound } from "~/web/answer-error.server";
import type { Route } from "./+types/convocatorias.$id_.resultados.$publicacionId";

/** A published results list as PDF (public, like the list on the convocatoria's page). */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (!isUuid(params.id) || !isUuid(params.publicacionId)) throw notFound("No encontramos esa publicación.");
  const { db, storage } = context.services;
  const [row] = await db
    .select({ pdfKey: publicaciones.pdfKey, pdfSize: publicaciones.pdfSize, version: publicaciones.version, codigo: convocatorias.codigo, titulo: publicaciones.titulo })
    .from(publicaciones)
    .innerJoin(convocatorias, eq(convocatorias.id, publicaciones.convocatoriaId))
    .where(and(eq(publicaciones.id, params.publicacionId), eq(publicaciones.convocatoriaId, params.id), ne(convocatorias.estado, "borrador")));
  if (!row?.pdfKey) throw notFound("No encontramos esa publicación.");
  const name = `${row.titulo}-${row.codigo}-v${row.version}`.normalize("NFD").replace(/[^\w-]+/g, "-").replace(/-+/g, "-");
  const body = Readable.toWeb(await storage.get(row.pdfKey)) as ReadableStream;
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(row.pdfSize ?? ""),
      "Content-Disposition": `inline; filename="${name}.pdf"`,
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
