import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, convocatoriaDocumentos, convocatorias, documentos, postulaciones, postulantes } from "~/db/schema";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import { isUuid } from "~/shared/ids";
import { listEvidencias } from "./evidencias.server";

/**
 * A file of the postulación: the link (its id is the documento's: "Ver", "Eliminar", the
 * confirmation, the expediente's links) with its stored file's columns (Mis documentos) and
 * its type's name as the convocatoria keeps it.
 */
export type DocumentoRow = typeof documentos.$inferSelect & Omit<typeof archivos.$inferSelect, "id" | "tipo"> & { tipoNombre: string };

/**
 * A postulación with what its PDFs and pages show: the convocatoria, the applicant and the
 * documents in the drop-down's order (a type's several files in their `orden`), each type named as the convocatoria keeps it (a later
 * change to the catalogue does not rename what was received). Null when the id does not exist.
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
  const [rows, tipos, evidencias] = await Promise.all([
    db
      .select({ documento: documentos, archivo: archivos })
      .from(documentos)
      .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
      .where(eq(documentos.postulacionId, postulacionId)),
    db
      .select({ tipo: convocatoriaDocumentos.tipo, nombre: convocatoriaDocumentos.nombre, orden: convocatoriaDocumentos.orden })
      .from(convocatoriaDocumentos)
      .where(eq(convocatoriaDocumentos.convocatoriaId, row.convocatoria.id)),
    listEvidencias(db, [postulacionId]),
  ]);
  // Unknown types (none: a convocatoria's types cannot change once someone applied) go last, by their code.
  const tipoDe = (code: string) => tipos.find((t) => t.tipo === code) ?? { nombre: code, orden: Number.MAX_SAFE_INTEGER };
  const docs: DocumentoRow[] = rows
    .map(({ documento, archivo: { id: _id, tipo: _tipo, ...archivo } }) => ({ ...archivo, ...documento, tipoNombre: tipoDe(documento.tipo).nombre }))
    .sort((a, b) => tipoDe(a.tipo).orden - tipoDe(b.tipo).orden || a.tipo.localeCompare(b.tipo) || a.orden - b.orden);
  const p = row.postulante;
  return {
    ...row,
    documentos: docs,
    /** "Sustento de requisitos del perfil" (issue 17). */
    evidencias,
    nombreCompleto: [p.nombres, p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" "),
    documentoIdentidad: `${tipoDocumentoLabel(p.tipoDocumento)} ${p.numeroDocumento}`,
  };
}

export type Expediente = NonNullable<Awaited<ReturnType<typeof loadExpediente>>>;
