import { and, asc, desc, eq, gt, lt } from "drizzle-orm";
import { documentos } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { cambiarDocumento } from "./delete-documento.server";

/**
 * "Subir" / "Bajar" (issue 17): a file changes places with its neighbour among its type's
 * files of the draft — the order the ficha merges them in. Inside the window, with the version
 * bump (the ficha is rebuilt) and the audit row; the first file cannot go up nor the last
 * down (nothing changes then).
 */
export async function moveDocumento(options: {
  services: Pick<Services, "db" | "clock">;
  postulanteId: string;
  convocatoriaId: string;
  documentoId: string;
  direccion: "subir" | "bajar";
}): Promise<{ movido: boolean }> {
  const { postulanteId, documentoId, direccion } = options;
  return cambiarDocumento(options, async (tx, doc, _now, version) => {
    const mismoTipo = and(eq(documentos.postulacionId, doc.postulacionId), eq(documentos.tipo, doc.tipo));
    const [vecino] = await tx
      .select({ id: documentos.id, orden: documentos.orden })
      .from(documentos)
      .where(and(mismoTipo, direccion === "subir" ? lt(documentos.orden, doc.orden) : gt(documentos.orden, doc.orden)))
      .orderBy(direccion === "subir" ? desc(documentos.orden) : asc(documentos.orden))
      .limit(1);
    if (!vecino) return { movido: false };
    await tx.update(documentos).set({ orden: vecino.orden }).where(eq(documentos.id, doc.id));
    await tx.update(documentos).set({ orden: doc.orden }).where(eq(documentos.id, vecino.id));
    await audit(tx, { type: "postulante", id: postulanteId }, "documento.reordenado", { type: "postulacion", id: doc.postulacionId }, {
      tipo: doc.tipo,
      documentoId,
      direccion,
      documentosVersion: version,
    });
    return { movido: true };
  });
}
