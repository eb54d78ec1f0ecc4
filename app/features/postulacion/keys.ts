import { newStorageKey } from "~/platform/storage.server";

/**
 * Storage keys of a postulación's files, all server-generated (a fresh UUID each time:
 * a replaced file never shares a key with its successor, so a reader of the old row never
 * sees new bytes). The applicant's file name is never part of a key.
 */
export const documentoKeys = (postulacionId: string) => {
  const base = newStorageKey(`postulaciones/${postulacionId}/documentos`);
  return { original: `${base}-original`, sanitized: `${base}-sanitizado` };
};
export const fichaKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/ficha`);
export const constanciaKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/constancia`);
export const constanciaDesistimientoKey = (postulacionId: string) => newStorageKey(`postulaciones/${postulacionId}/desistimiento`);
