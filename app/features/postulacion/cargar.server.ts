import { rm } from "node:fs/promises";
import type { AppLoadContext } from "react-router";
import { TIPOS_DOCUMENTO, tipoDocumento } from "~/features/convocatorias/documentos";
import { requirePostulante } from "~/platform/auth.server";
import { CSRF_FIELD } from "~/platform/csrf.server";
import { assertCsrf, echoValues } from "~/platform/forms.server";
import { PostulacionError } from "./errors";
import { receiveUpload } from "./upload-stand-in.server";
import { tooLarge, uploadDocumento } from "./upload-documento.server";

const MAX_BYTES = Math.max(...TIPOS_DOCUMENTO.map((t) => t.maxBytes));

export type CargaResult =
  | { ok: true; tipo: string; reemplazo: boolean }
  | { ok: false; status: number; errors: Record<string, string>; values: Record<string, string> };

/**
 * "CARGAR" over HTTP, shared by the page's action (no JavaScript: PRG or the page with the
 * errors) and /postulacion/:convocatoriaId/cargar (XMLHttpRequest with a progress bar: JSON).
 * Reads the multipart body streaming to a temporary file, cut at the limit; checks the
 * CSRF token; calls the use case once.
 */
export async function cargarDocumento(request: Request, context: AppLoadContext, convocatoriaId: string): Promise<CargaResult> {
  const { postulante } = await requirePostulante(request, context);
  const { logger, services } = context;
  const received = await receiveUpload(request, { fileField: "archivo", maxBytes: MAX_BYTES });
  if (!received.ok) {
    logger.info({ status: received.status }, "upload refused while reading the body");
    const message =
      received.status === 413
        ? tooLarge(MAX_BYTES).message
        : "No se pudo leer el archivo enviado. Inténtelo de nuevo.";
    return { ok: false, status: received.status, errors: { archivo: message }, values: {} };
  }
  const { formData, file } = received;
  try {
    assertCsrf(formData.get(CSRF_FIELD), context);
  } catch (error) {
    if (file) await rm(file.path, { force: true });
    throw error;
  }
  const values = echoValues(formData);
  const tipo = String(formData.get("tipo") ?? "");
  if (!tipoDocumento(tipo)) {
    if (file) await rm(file.path, { force: true });
    return { ok: false, status: 422, errors: { tipo: "Seleccione el tipo de documento." }, values };
  }
  if (!file || file.size === 0) {
    if (file) await rm(file.path, { force: true });
    return {
      ok: false,
      status: 422,
      errors: { archivo: file ? "El archivo está vacío" : "Seleccione el archivo PDF que desea cargar." },
      values,
    };
  }
  try {
    const result = await uploadDocumento({ services, postulanteId: postulante.id, convocatoriaId, tipo, file });
    logger.info({ tipo, pages: result.pages, reemplazo: result.reemplazo }, "documento cargado");
    return { ok: true, tipo, reemplazo: result.reemplazo };
  } catch (error) {
    if (error instanceof PostulacionError) {
      logger.warn({ cause: error.logCause, tipo }, "upload refused");
      return { ok: false, status: error.status, errors: { [error.field]: error.message }, values };
    }
    throw error;
  }
}
