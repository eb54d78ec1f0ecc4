import {
  FormDataParseError, MaxFileSizeExceededError, MaxFilesExceededError, MaxTotalSizeExceededError, parseFormData,
} from "@remix-run/form-data-parser";
import type { AppLoadContext } from "react-router";
import { assertFormFields } from "~/web/forms.server";

export type UploadedFile = { filename: string; contentType: string; bytes: Uint8Array };

export type MultipartResult =
  | { ok: true; formData: FormData; file?: UploadedFile }
  | { ok: false; tooLarge: boolean; message: string };

/**
 * Reads a form that may carry one file (multipart) or none (urlencoded), enforcing the
 * file's size limit while the body streams in: a larger upload is cut off at the limit,
 * never read whole. The CSRF field is checked once the fields are parsed (it comes first
 * in every form); a missing or wrong token is a 403 with nothing kept.
 */
export async function readUploadForm(
  request: Request,
  context: AppLoadContext,
  options: { fileField: string; maxBytes: number; tooLargeMessage: string },
): Promise<MultipartResult> {
  let file: UploadedFile | undefined;
  let formData: FormData;
  try {
    formData = await parseFormData(
      request,
      { maxFiles: 1, maxFileSize: options.maxBytes, maxParts: 200, maxTotalSize: options.maxBytes + 1024 * 1024 },
      async (upload) => {
        if (upload.fieldName !== options.fileField || (upload.size === 0 && !upload.name)) return null;
        file = { filename: upload.name, contentType: upload.type, bytes: new Uint8Array(await upload.arrayBuffer()) };
        return null;
      },
    );
  } catch (error) {
    if (error instanceof MaxFileSizeExceededError || error instanceof MaxTotalSizeExceededError) {
      context.logger.info({ field: options.fileField }, "upload refused: too large");
      return { ok: false, tooLarge: true, message: options.tooLargeMessage };
    }
    if (error instanceof MaxFilesExceededError || error instanceof FormDataParseError) {
      context.logger.warn({ err: (error as Error).message }, "upload refused: unreadable form");
      return { ok: false, tooLarge: false, message: "No se pudo leer el formulario. Inténtelo de nuevo." };
    }
    throw error;
  }
  assertFormFields(formData, context);
  return { ok: true, formData, file };
}
