import { z } from "zod";
import { TAMANO_MAXIMO_MB, TAMANO_MINIMO_MB } from "~/features/convocatorias/documentos";

const TAMANO_MENSAJE = `Indique el tamaño máximo en MB: un número entero de ${TAMANO_MINIMO_MB} a ${TAMANO_MAXIMO_MB}.`;

/** "Agregar" and "Guardar" of /admin/tipos-documento: what the administrador types for a type. */
export const tipoDocumentoSchema = z.object({
  nombre: z
    .string({ error: "Ingrese el nombre del tipo de documento." })
    .trim()
    .min(3, { error: "Ingrese el nombre del tipo de documento (al menos 3 caracteres)." })
    .max(120, { error: "Como máximo 120 caracteres." }),
  tamanoMb: z
    .string({ error: TAMANO_MENSAJE })
    .trim()
    .regex(/^\d{1,3}$/, { error: TAMANO_MENSAJE })
    .transform(Number)
    .refine((n) => n >= TAMANO_MINIMO_MB && n <= TAMANO_MAXIMO_MB, { error: TAMANO_MENSAJE }),
  /** The "Obligatorio por defecto" checkbox: sent ("on") when ticked, absent otherwise. */
  obligatorio: z.string().optional().transform((v) => v === "on"),
});

export type TipoDocumentoInput = z.output<typeof tipoDocumentoSchema>;
