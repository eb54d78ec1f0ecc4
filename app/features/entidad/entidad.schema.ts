import { z } from "zod";
import { isValidRuc } from "./ruc";

/** "Datos de la entidad" (/admin/entidad): the labels, as the form shows them and the error summary names them. */
export const ENTIDAD_LABELS: Record<string, string> = {
  nombre: "Nombre de la entidad",
  siglas: "Siglas",
  ruc: "RUC",
  logo: "Logo",
  mesaAyudaEmail: "Correo de la mesa de ayuda",
  mesaAyudaTelefono: "Teléfono de la mesa de ayuda",
  mesaAyudaHorario: "Horario de atención de la mesa de ayuda",
};

/** Trimmed, inner spaces collapsed, no control or format characters; "" becomes null. */
const optionalText = (max: number, rule?: { re: RegExp; message: string }) =>
  z
    .string()
    .optional()
    .transform((s) => (s ?? "").normalize("NFC").trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .max(max, `Use como máximo ${max} caracteres.`)
        .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "Contiene caracteres no permitidos.")
        .refine((s) => s === "" || !rule || rule.re.test(s), rule?.message ?? ""),
    )
    .transform((s) => s || null);

export const entidadSchema = z.object({
  nombre: z
    .string({ error: "Ingrese el nombre de la entidad." })
    .transform((s) => s.normalize("NFC").trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, "Ingrese el nombre de la entidad.")
        .min(3, "Ingrese el nombre completo de la entidad.")
        .max(200, "Use como máximo 200 caracteres.")
        .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "Contiene caracteres no permitidos."),
    ),
  siglas: optionalText(20, { re: /^[\p{L}\d][\p{L}\d .&-]*$/u, message: "Use solo letras, números, espacios, puntos o guiones." }),
  ruc: z
    .string()
    .optional()
    .transform((s) => (s ?? "").replace(/\s+/g, ""))
    .pipe(
      z
        .string()
        .refine((s) => s === "" || /^\d{11}$/.test(s), "El RUC tiene 11 dígitos.")
        .refine((s) => s === "" || !/^\d{11}$/.test(s) || isValidRuc(s), "El RUC no es válido: revise los dígitos (el último es de verificación)."),
    )
    .transform((s) => s || null),
  mesaAyudaEmail: z
    .string()
    .optional()
    .transform((s) => (s ?? "").trim().toLowerCase())
    .pipe(z.union([z.literal(""), z.string().max(254, "El correo es demasiado largo.").pipe(z.email("Ingrese un correo electrónico válido, como mesadeayuda@entidad.gob.pe."))]))
    .transform((s) => s || null),
  mesaAyudaTelefono: optionalText(40, {
    re: /^(?=(?:\D*\d){6})\+?[\d ()-]+(?:\s*(?:anexo|anx\.?)\s*\d{1,6})?$/i,
    message: "Ingrese un teléfono con al menos 6 dígitos, como (01) 200-1000 anexo 123.",
  }),
  mesaAyudaHorario: optionalText(120),
  /** "Quitar el logo": the stored logo is removed (a new one sent with it wins). */
  quitarLogo: z
    .string()
    .optional()
    .transform((s) => s === "on" || s === "1"),
});

export type EntidadInput = z.output<typeof entidadSchema>;
