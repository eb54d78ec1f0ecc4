import { and, eq, ne } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias, publicaciones } from "~/db/schema";

/**
 * The PDF of a published results list (public, like the list on the convocatoria's page): its
 * stored key and size, and its file name as people read it ("Resultados de Evaluación curricular -
 * CAS N° 001-2026 - v1.pdf": the download answers it with an ASCII fallback, contentDisposition); null when
 * the publication is not of that convocatoria, has no PDF, or the convocatoria is a borrador.
 */
export async function findPublicacionPdf(db: Db, convocatoriaId: string, publicacionId: string) {
  const [row] = await db
    .select({ pdfKey: publicaciones.pdfKey, pdfSize: publicaciones.pdfSize, version: publicaciones.version, codigo: convocatorias.codigo, titulo: publicaciones.titulo })
    .from(publicaciones)
    .innerJoin(convocatorias, eq(convocatorias.id, publicaciones.convocatoriaId))
    .where(and(eq(publicaciones.id, publicacionId), eq(publicaciones.convocatoriaId, convocatoriaId), ne(convocatorias.estado, "borrador")));
  if (!row?.pdfKey) return null;
  // A "/" in a code is no path: cleanFileName would keep only what follows it.
  const name = `${row.titulo} - ${row.codigo} - v${row.version}`.replace(/[\\/]/g, "-");
  return { key: row.pdfKey, size: row.pdfSize, filename: `${name}.pdf` };
}
