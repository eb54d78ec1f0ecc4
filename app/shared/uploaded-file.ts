/**
 * A file received whole into a temp file: what the upload reader (web/upload.server.ts)
 * hands to a route and the route hands to a use case (a postulación's document, a
 * convocatoria's bases, a Declaraciones Juradas format). The use case reads it from `path`
 * and stores it with `storage.putFile(key, path, { move: true, sha256 })`, never as a
 * buffer; the route that received it deletes what is left (`discardUpload`, in a `finally`)
 * whatever the use case did.
 */
export type UploadedFile = {
  /** The temp file (DATA_DIR/tmp/<uuid>.upload for an upload), complete and within its limit. */
  path: string;
  size: number;
  /** The name the browser sent, cleaned by cleanFileName (file-name.ts): for display only. */
  filename: string;
  /** SHA-256 (hex) when known: the upload reader hashes the bytes as they arrive; storage computes it otherwise. */
  sha256?: string;
  /** The <input> it was sent in (set by the upload reader). */
  fieldName?: string;
  /** As declared by the browser (set by the upload reader): not to be trusted. */
  contentType?: string;
};
