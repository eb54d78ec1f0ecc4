import { z } from "zod";
import { MOTIVO_DESISTIMIENTO_MAX } from "./errors";
import { EVIDENCIA_FIELD } from "./evidencias";

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

/**
 * "Guardar sustento": the rows of the form, one per (requirement, position), read from the
 * fields named `sustento-<requisito>-<n>-documento|paginas`. What they say is checked by
 * saveEvidencias (it knows the perfil and the files).
 */
export function filasDeEvidencia(formData: FormData): { requisito: string; fila: number; documentoId: string; paginas: string }[] {
  const filas = new Map<string, { requisito: string; fila: number; documentoId: string; paginas: string }>();
  for (const [name, value] of formData) {
    const m = EVIDENCIA_FIELD.exec(name);
    if (!m || typeof value !== "string") continue;
    const [, requisito, fila, parte] = m as unknown as [string, string, string, "documento" | "paginas"];
    const key = `${requisito}:${fila}`;
    const row = filas.get(key) ?? { requisito, fila: Number(fila), documentoId: "", paginas: "" };
    if (parte === "documento") row.documentoId = value;
    else row.paginas = value;
    filas.set(key, row);
  }
  return [...filas.values()];
}
