import { Readable } from "node:stream";
import { findPublicacionPdf } from "~/features/evaluacion/find-publicacion-pdf.server";
import { contentDisposition } from "~/shared/file-name";
import { isUuid } from "~/shared/ids";
import { notFound } from "~/web/answer-error.server";
import type { Route } from "./+types/convocatorias.$id_.resultados.$publicacionId";

/** A published results list as PDF (public, like the list on the convocatoria's page). */
export async function loader({ params, context }: Route.LoaderArgs) {
  if (!isUuid(params.id) || !isUuid(params.publicacionId)) throw notFound("No encontramos esa publicación.");
  const { db, storage } = context.services;
  const pdf = await findPublicacionPdf(db, params.id, params.publicacionId);
  if (!pdf) throw notFound("No encontramos esa publicación.");
  const body = Readable.toWeb(await storage.get(pdf.key)) as ReadableStream;
  return new Response(body, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.size ?? ""),
      "Content-Disposition": contentDisposition("inline", pdf.filename),
      "Cache-Control": "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
