import { z } from "zod";
import { MOTIVO_DESISTIMIENTO_MAX } from "./errors";

const marcada = z
  .string()
  .optional()
  .transform((v) => v === "on");

/**
 * The forms of "Documentos cargados" on the Postulación page: "Eliminar", "Subir", "Bajar" (the document's id),
 * "Usar un documento guardado" (its own small form),
 * or a button's intent — "confirmar" (no JavaScript), the page's autosave of the boxes,
 * "finalizar", "aceptar" — with the ids of the ticked "CONFIRMAR DOCUMENTO CARGADO" boxes,
 * the DECLARACIÓN and the confirmation message's box. Ids are checked by the use cases.
 */
export const documentosFormSchema = z.object({
  eliminar: z.string().optional(),
  /** "Subir" / "Bajar": the id of the file that moves among its type's files. */
  subir: z.string().optional(),
  bajar: z.string().optional(),
  /** "Usar un documento guardado": the type and the file of Mis documentos. */
  tipoGuardado: z.string().default(""),
  archivoId: z.string().default(""),
  intent: z.string().default(""),
  postulacionId: z.string().default(""),
  confirmar: z.array(z.string()),
  declaracion: marcada,
  acepto: marcada,
});

/** "Desistir de la postulación": the optional reason (trimmed; empty = none), at most 500 characters. */
export const desistirFormSchema = z.object({
  motivo: z
    .string()
    .default("")
    .transform((v) => v.trim())
    .pipe(z.string().max(MOTIVO_DESISTIMIENTO_MAX, `Escriba el motivo en ${MOTIVO_DESISTIMIENTO_MAX} caracteres como máximo.`)),
});
