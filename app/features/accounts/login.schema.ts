import { z } from "zod";
import { normalizeNumero, TIPOS_DOCUMENTO, type TipoDocumento } from "./documento";
import { email } from "./fields";

/**
 * The sign-in and password-recovery forms. Only the shape is checked here: whether a
 * number belongs to an account is never said (one message for a wrong number and a
 * wrong password), so the number's format is not judged beyond letters and digits.
 */
const TIPOS = TIPOS_DOCUMENTO.map((t) => t.value) as [TipoDocumento, ...TipoDocumento[]];

export const tipoDocumento = z.enum(TIPOS, { error: "Seleccione el tipo de documento." });

export const numeroDocumento = z
  .string({ error: "Ingrese su número de documento." })
  .transform(normalizeNumero)
  .pipe(
    z
      .string()
      .min(1, "Ingrese su número de documento.")
      .max(20, "El número de documento es demasiado largo.")
      .regex(/^[A-Z0-9]+$/, "Use solo letras y números, sin espacios ni guiones."),
  );

/** A password as typed: never trimmed; the cap keeps hashing cheap (the policy allows 128). */
const password = (missing: string) =>
  z.string({ error: missing }).min(1, missing).max(1024, "La contraseña es demasiado larga.");

/** A hidden field the person cannot fix: anything odd is dropped (safeRedirectTo judges the rest), never an error. */
const redirectTo = z.string().optional().catch(undefined);

export const loginPostulanteSchema = z.object({
  tipoDocumento,
  numeroDocumento,
  password: password("Ingrese su contraseña."),
  redirectTo,
});

export const loginStaffSchema = z.object({
  email,
  password: password("Ingrese su contraseña."),
  redirectTo,
});

export const requestPasswordResetSchema = z.object({ tipoDocumento, numeroDocumento });

export const resetPasswordSchema = z
  .object({
    token: z.string({ error: "Falta el enlace." }).min(1, "Falta el enlace.").max(200, "El enlace no es válido."),
    password: password("Ingrese la nueva contraseña."),
    passwordConfirm: z.string({ error: "Confirme la contraseña." }).min(1, "Confirme la contraseña.").max(1024),
  })
  .refine((v) => v.password === v.passwordConfirm, {
    path: ["passwordConfirm"],
    error: "Las contraseñas no coinciden.",
  });

export const LOGIN_LABELS = {
  tipoDocumento: "Tipo de documento",
  numeroDocumento: "Número de documento",
  password: "Contraseña",
  email: "Correo electrónico",
  passwordConfirm: "Confirmar contraseña",
} as const;
