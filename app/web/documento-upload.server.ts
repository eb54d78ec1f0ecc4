import type { AppLoadContext } from "react-router";
import { TAMANO_MAXIMO_BYTES } from "~/features/convocatorias/documentos";
import { createAntivirus, type Antivirus } from "~/platform/antivirus.server";
import { refusal } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { echoValues } from "~/web/forms.server";
import { uploadBytes, uploadRefusals } from "~/platform/metrics.server";
import { discardUpload, readUploadForm, UploadError } from "~/web/upload.server";
import { limitesDeCarga, prepararCarga, uploadDocumento, type CargaPreparada } from "~/features/postulacion/upload-documento.server";

export type CargaResult =
  | { ok: true; tipo: string; tipoNombre: string; reutilizado: boolean }
  | { ok: false; status: number; errors: Record<string, string>; values: Record<string, string> };

const antiviruses = new Map<string, Antivirus>();
function antivirusFor(clamdUrl: string | undefined): Antivirus | undefined {
  if (!clamdUrl) return undefined;
  let one = antiviruses.get(clamdUrl);
  if (!one) antiviruses.set(clamdUrl, (one = createAntivirus(clamdUrl)));
  return one;
}

/**
 * "CARGAR" over HTTP, shared by the page's action (no JavaScript: PRG or the page with the
 * errors) and /postulacion/:convocatoriaId/cargar (XMLHttpRequest with a progress bar: JSON).
 * The body is read as a stream to a temporary file and cut at the chosen type's limit, the one
 * the convocatoria keeps (the form sends the type before the file); the CSRF token is checked before a byte of the file
 * is kept, and the use case's checks that need no file (prepararCarga) start then, to run
 * while the file arrives; then the use case, once.
 */
export async function cargarDocumento(request: Request, context: AppLoadContext, convocatoriaId: string): Promise<CargaResult> {
  const { postulante } = await requirePostulante(request, context);
  const { logger, services } = context;
  // The checks that need no file run while it arrives (the form sends the type first).
  let preparada: Promise<CargaPreparada> | undefined;
  let upload;
  const limites = await limitesDeCarga(services.db, convocatoriaId);
  try {
    upload = await readUploadForm(request, context, {
      limitFor: (fields) => limites.get(String(fields.get("tipo") ?? "")) ?? TAMANO_MAXIMO_BYTES,
      maxFiles: 1,
      onFieldsRead: (fields) => {
        const tipo = String(fields.get("tipo") ?? "");
        if (!tipo) return;
        preparada = prepararCarga({ services, postulanteId: postulante.id, convocatoriaId, tipo });
        preparada.catch(() => {}); // awaited by uploadDocumento; unobserved when the body fails
      },
    });
  } catch (error) {
    if (error instanceof UploadError) {
      logger.info({ code: error.code, status: error.status }, "upload refused while reading the body");
      uploadRefusals.inc({ reason: error.code });
      return { ok: false, status: error.status, errors: { archivo: error.message }, values: echoValues(error.fields) };
    }
    throw error;
  }
  const { fields, file } = upload;
  const values = echoValues(fields);
  try {
    const tipo = String(fields.get("tipo") ?? "");
    if (!tipo) {
      uploadRefusals.inc({ reason: "tipo" });
      return { ok: false, status: 422, errors: { tipo: "Seleccione el tipo de documento." }, values };
    }
    if (!file || (file.size === 0 && !file.filename)) {
      uploadRefusals.inc({ reason: "no_file" });
      return { ok: false, status: 422, errors: { archivo: "Seleccione el archivo PDF que desea cargar." }, values };
    }
    const result = await uploadDocumento({
      services,
      postulanteId: postulante.id,
      convocatoriaId,
      tipo,
      file,
      preparada,
      antivirus: antivirusFor(services.config.clamdUrl),
    });
    logger.info({ tipo, pages: result.pages, reutilizado: result.reutilizado }, "documento cargado");
    uploadBytes.inc(file.size);
    return { ok: true, tipo, tipoNombre: result.tipoNombre, reutilizado: result.reutilizado };
  } catch (error) {
    const refused = refusal(error, context, "upload", { level: "warn" });
    uploadRefusals.inc({ reason: refused.logCause ?? refused.code });
    return { ok: false, status: refused.status, errors: refused.fieldErrors(), values };
  } finally {
    await discardUpload(file);
  }
}
