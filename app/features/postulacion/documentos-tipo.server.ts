import { and, eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { archivos, documentos, postulaciones } from "~/db/schema";
import { AppError } from "~/shared/app-error";
import { formatBytes } from "~/shared/format";
import { yaRegistrada } from "./errors";

/**
 * The first step of every change to a postulación's documents (CARGAR, "Usar un documento
 * guardado", Eliminar, Subir/Bajar), inside the caller's transaction: the version bumped (the
 * ficha is rebuilt) with `estado = 'en_registro'` as the condition, which locks the row — a
 * concurrent finalization either sees the change or has already made the postulación
 * immutable (0 rows: 409). Returns the new version.
 */
export async function bumpDraft(tx: Db, postulacionId: string, now: Date): Promise<number> {
  const [bumped] = await tx
    .update(postulaciones)
    .set({ documentosVersion: sql`${postulaciones.documentosVersion} + 1`, updatedAt: now })
    .where(and(eq(postulaciones.id, postulacionId), eq(postulaciones.estado, "en_registro")))
    .returning({ version: postulaciones.documentosVersion });
  if (!bumped) throw yaRegistrada();
  return bumped.version;
}

/**
 * The type's files of the postulación: how many bytes they take together and the next
 * position. Read after bumpDraft (the row lock), so two concurrent additions cannot both
 * pass the limit.
 */
export async function ocupacionDelTipo(tx: Db, postulacionId: string, tipo: string): Promise<{ bytes: number; siguiente: number }> {
  const [row] = await tx
    .select({
      bytes: sql<number>`coalesce(sum(${archivos.size}), 0)::int`,
      siguiente: sql<number>`coalesce(max(${documentos.orden}) + 1, 0)::int`,
    })
    .from(documentos)
    .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
    .where(and(eq(documentos.postulacionId, postulacionId), eq(documentos.tipo, tipo)));
  return { bytes: Number(row?.bytes ?? 0), siguiente: Number(row?.siguiente ?? 0) };
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

/**
 * The type's size limit (the convocatoria's) applies to the sum of its files (issue 17):
 * adding `size` bytes to the `bytes` already there must stay within it.
 */
export function assertCabeEnTipo(ocupado: number, size: number, maxBytes: number, field: string): void {
  if (ocupado + size <= maxBytes) return;
  throw new AppError(
    "postulacion.tipo_lleno",
    `Los archivos de este tipo de documento superarían juntos el tamaño máximo permitido (${mb(maxBytes)}): ya tiene cargados ${formatBytes(ocupado)}. Elimine alguno o cargue un archivo más pequeño.`,
    { status: 413, field, logCause: "type's files over the limit together" },
  );
}
