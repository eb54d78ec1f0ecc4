import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatoriaDocumentos, convocatorias, postulantes, tiposDocumento } from "~/db/schema";
import { documentoColumnas } from "~/features/convocatorias/convocatoria-datos.server";
import { tiposParaPostulante } from "~/features/convocatorias/documentos";
import { ventanaAbierta } from "~/features/convocatorias/estado";
import { formatLima } from "~/shared/lima";
import { isUuid } from "~/shared/ids";
import { AppError } from "~/shared/app-error";
import { ventanaCerrada } from "./errors";

/**
 * The convocatoria as the postulación sees it: visible to applicants (not a borrador),
 * its window, and the types this applicant may upload (the identity type follows the
 * nationality), with the names and size limits the convocatoria keeps, in the drop-down's order.
 */
export async function loadConvocatoriaParaPostulante(db: Db, convocatoriaId: string, postulanteId: string) {
  if (!isUuid(convocatoriaId)) throw convocatoriaNoEncontrada();
  const [c] = await db.select().from(convocatorias).where(eq(convocatorias.id, convocatoriaId));
  if (!c || c.estado === "borrador") throw convocatoriaNoEncontrada();
  const [p] = await db
    .select({ nacionalidad: postulantes.nacionalidad })
    .from(postulantes)
    .where(eq(postulantes.id, postulanteId));
  if (!p) throw convocatoriaNoEncontrada();
  // The names, limits and order the convocatoria keeps; the identity trait is the catalogue's (fixed).
  const docs = await db
    .select({ ...documentoColumnas, identidad: tiposDocumento.identidad })
    .from(convocatoriaDocumentos)
    .innerJoin(tiposDocumento, eq(tiposDocumento.codigo, convocatoriaDocumentos.tipo))
    .where(and(eq(convocatoriaDocumentos.convocatoriaId, convocatoriaId)));
  return { convocatoria: c, tipos: tiposParaPostulante(docs, p.nacionalidad) };
}

export type ConvocatoriaParaPostulante = Awaited<ReturnType<typeof loadConvocatoriaParaPostulante>>;

export function convocatoriaNoEncontrada() {
  return new AppError("postulacion.convocatoria_no_encontrada", "No encontramos la convocatoria solicitada.", { status: 404, logCause: "convocatoria not found" });
}

/** Throws 409 unless the window is open at `now` (the server's clock). */
export function assertVentanaAbierta(c: typeof convocatorias.$inferSelect, now: Date): void {
  if (!ventanaAbierta(c, now)) {
    throw ventanaCerrada(c.postulacionFin && now >= c.postulacionFin ? formatLima(c.postulacionFin) : null);
  }
}
