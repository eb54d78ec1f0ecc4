import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias, documentos, postulaciones, postulantes } from "~/db/schema";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import { TIPOS_DOCUMENTO } from "~/features/convocatorias/documentos";
import { isUuid } from "~/shared/ids";

export type DocumentoRow = typeof documentos.$inferSelect;

/** The drop-down's position of a type (unknown codes last). */
export const ordenTipo = (code: string) => {
  const i = TIPOS_DOCUMENTO.findIndex((t) => t.code === code);
  return i === -1 ? TIPOS_DOCUMENTO.length : i;
};
export const tipoLabel = (code: string) => TIPOS_DOCUMENTO.find((t) => t.code === code)?.label ?? code;

/**
 * A postulación with what its PDFs and pages show: the convocatoria, the applicant and the
 * documents in the drop-down's order. Null when the id does not exist.
 */
export async function loadExpediente(db: Db, postulacionId: string) {
  if (!isUuid(postulacionId)) return null;
  const [row] = await db
    .select({ postulacion: postulaciones, convocatoria: convocatorias, postulante: postulantes })
    .from(postulaciones)
    .innerJoin(convocatorias, eq(convocatorias.id, postulaciones.convocatoriaId))
    .innerJoin(postulantes, eq(postulantes.id, postulaciones.postulanteId))
    .where(eq(postulaciones.id, postulacionId));
  if (!row) return null;
  const docs = await db.select().from(documentos).where(eq(documentos.postulacionId, postulacionId));
  docs.sort((a, b) => ordenTipo(a.tipo) - ordenTipo(b.tipo));
  const p = row.postulante;
  return {
    ...row,
    documentos: docs,
    nombreCompleto: [p.nombres, p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" "),
    documentoIdentidad: `${tipoDocumentoLabel(p.tipoDocumento)} ${p.numeroDocumento}`,
  };
}

export type Expediente = NonNullable<Awaited<ReturnType<typeof loadExpediente>>>;
