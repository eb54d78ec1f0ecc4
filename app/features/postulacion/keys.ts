import { newStorageKey } from "~/platform/storage.server";

/**
 * Storage keys of an applicant's files (Mis documentos) and of a postulación's PDFs, all server-generated (a fresh UUID each time:
 * a deleted file never shares a key with a later one, so a reader of an old row never sees
 * new bytes). The applicant's file name is never part of a key.
 */
export const archivoKeys = (postulanteId: string) => {
  const base = newStorageKey(`postulantes/${postulanteId}/archivos`);
  return { original: `${base}-original`, sanitized: `${base}-sanitizado` };
};
export const fichaKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/ficha`);
export const constanciaKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/constancia`);
export const constanciaDesistimientoKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/desistimiento`);
