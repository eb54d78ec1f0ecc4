import { and, eq, inArray, isNotNull, isNull, notInArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { documentos, postulaciones } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { isUuid } from "~/shared/ids";
import { noEncontrada, yaRegistrada } from "./errors";

/**
 * The column "CONFIRMAR DOCUMENTO CARGADO": the form sends the ids of the checked
 * documents; those become confirmed (keeping their first confirmation time) and the
 * others unconfirmed. Only on a draft; nothing to do when nothing changes.
 */
export async function confirmDocumentos(options: {
  db: Db;
  postulanteId: string;
  postulacionId: string;
  confirmados: readonly string[];
  now: Date;
}): Promise<{ changed: boolean }> {
  const { db, postulanteId, postulacionId, now } = options;
  // A missing or forged id names no draft: refused before the query (uuid columns).
  if (!isUuid(postulacionId)) throw noEncontrada();
  const ids = [...new Set(options.confirmados.filter(isUuid))];
  return db.transaction(async (tx) => {
    // Locks the draft against a concurrent finalization (same row lock as uploads).
    const [draft] = await tx
      .update(postulaciones)
      .set({ updatedAt: now })
      .where(
        and(
          eq(postulaciones.id, postulacionId),
          eq(postulaciones.postulanteId, postulanteId),
          eq(postulaciones.estado, "en_registro"),
        ),
      )
      .returning({ id: postulaciones.id });
    if (!draft) throw yaRegistrada();
    const confirmed = ids.length
      ? await tx
          .update(documentos)
          .set({ confirmadoAt: now })
          .where(and(eq(documentos.postulacionId, postulacionId), inArray(documentos.id, ids), isNull(documentos.confirmadoAt)))
          .returning({ tipo: documentos.tipo })
      : [];
    const unconfirmed = await tx
      .update(documentos)
      .set({ confirmadoAt: null })
      .where(
        and(
          eq(documentos.postulacionId, postulacionId),
          isNotNull(documentos.confirmadoAt),
          ids.length ? notInArray(documentos.id, ids) : undefined,
        ),
      )
      .returning({ tipo: documentos.tipo });
    if (!confirmed.length && !unconfirmed.length) return { changed: false };
    await audit(tx, { type: "postulante", id: postulanteId }, "documento.confirmaciones", { type: "postulacion", id: postulacionId }, {
      confirmados: confirmed.map((d) => d.tipo),
      desmarcados: unconfirmed.map((d) => d.tipo),
    });
    return { changed: true };
  });
}
