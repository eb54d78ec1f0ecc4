import { z } from "zod";

/**
 * Field rules shared by the accounts forms (registration, Mi Perfil, staff), with their
 * Spanish messages. Each form's schema composes these; the server is the judge.
 */
const text = (label: string, max: number) =>
  z
    .string({ error: `Ingrese ${label}.` })
    .transform((s) => s.normalize("NFC").trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, `Ingrese ${label}.`)
        .max(max, `Use como máximo ${max} caracteres.`)
        // No control characters; letters in any script are fine.
        .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "Contiene caracteres no permitidos."),
    );

const NAME_RE = /^[\p{L}\p{M}' .-]+$/u;
export const nombre = (label: string) =>
  text(label, 60).refine((s) => NAME_RE.test(s), "Use solo letras, espacios, apóstrofos o guiones.");

export const email = z
  .string({ error: "Ingrese su correo electrónico." })
  .trim()
  .toLowerCase()
  .min(1, "Ingrese su correo electrónico.")
  .max(254, "El correo es demasiado largo.")
  .pipe(z.email("Ingrese un correo electrónico válido, como nombre@ejemplo.com."));

/** Peruvian mobile numbers: 9 digits starting with 9; foreign ones with + and 8–15 digits. */
export const celular = z
  .string({ error: "Ingrese su celular." })
  .transform((s) => s.replace(/[\s()-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "Ingrese su celular.")
      .regex(/^(9\d{8}|\+\d{8,15})$/, "Ingrese un celular de 9 dígitos que empiece con 9, o con el código de país (+…)."),
  );

export const telefono = z
  .string()
  .optional()
  .transform((s) => (s ?? "").replace(/[\s()-]/g, ""))
  .pipe(
    z.union([z.literal(""), z.string().regex(/^\+?\d{6,15}$/, "Ingrese un teléfono de 6 a 15 dígitos (con anexo de ciudad).")]),
  )
  .transform((s) => s || null);

export const direccion = text("su dirección", 200);

export const fechaNacimiento = (today: () => Date) =>
  z
    .string({ error: "Ingrese su fecha de nacimiento." })
    .min(1, "Ingrese su fecha de nacimiento.")
    .regex(/^\d{4}-\d{2}-\d{2}$/, "Ingrese la fecha como día/mes/año.")
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), "Esa fecha no existe.")
    .refine((s) => {
      const age = (today().getTime() - Date.parse(`${s}T00:00:00Z`)) / (365.25 * 24 * 3600 * 1000);
      return age >= 18 && age <= 100;
    }, "Debe ser mayor de 18 años (y la fecha, real).");

export const sexo = z.enum(["F", "M"], { error: "Seleccione su sexo." });

/** Checkbox: "on" when ticked. */
export const checked = (message: string) => z.literal("on", { error: message });
