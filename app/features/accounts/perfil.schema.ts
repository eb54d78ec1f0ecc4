import { z } from "zod";
import { celular, direccion, email, telefono } from "./fields";
import { isPais } from "./paises";

/**
 * Mi Perfil's forms (seed 2.1.7: "solo se podrá modificar los campos que se encuentren
 * activos"). The identity fields (nacionalidad, documento, nombres, apellidos, fecha de
 * nacimiento, sexo) are not in any schema here: Zod drops unknown keys, so a crafted
 * post that names them changes nothing.
 */

/** The editable fields, by their column names; `details.fields` of the audit lists these. */
export const PERFIL_FIELDS = ["email", "celular", "telefono", "paisResidencia", "direccion", "ubigeo"] as const;
export type PerfilField = (typeof PERFIL_FIELDS)[number];

export const PERFIL_LABELS: Record<string, string> = {
  email: "Correo electrónico",
  celular: "Celular",
  telefono: "Teléfono",
  paisResidencia: "País de residencia",
  direccion: "Dirección",
  departamento: "Departamento",
  provincia: "Provincia",
  distrito: "Distrito",
  passwordActual: "Contraseña actual",
  passwordCorreo: "Contraseña actual, para cambiar el correo",
  passwordNueva: "Nueva contraseña",
  passwordConfirmacion: "Confirmar nueva contraseña",
};

/** Cross-field checks still run when an unrelated field has an error, so every message shows at once. */
const noIssuesAt =
  (...fields: string[]) =>
  (payload: { issues: readonly { path?: readonly PropertyKey[] }[] }) =>
    !payload.issues.some((i) => fields.includes(String(i.path?.[0])));

const optionalCode = z
  .string()
  .optional()
  .transform((s) => (s ?? "").trim());

/**
 * "Datos de contacto". `isDistrito` is the server's check against the shipped ubigeo
 * table (it reads a file, so the route hands it in). The address's ubigeo applies only
 * to Peru; for another country it is stored as null whatever was selected.
 */
export function datosContactoSchema(isDistrito: (code: string) => boolean) {
  return z
    .object({
      email,
      celular,
      telefono,
      paisResidencia: z
        .string({ error: "Seleccione su país de residencia." })
        .refine((p) => isPais(p), "Seleccione su país de residencia."),
      direccion,
      departamento: optionalCode,
      provincia: optionalCode,
      distrito: optionalCode,
      // Needed only when the e-mail changes (issue 11); the use case knows whether it does.
      passwordCorreo: z.string().max(1000).optional().transform((s) => s ?? ""),
    })
    .superRefine((d, ctx) => {
      if (d.paisResidencia !== "PE") return;
      if (!/^\d{2}$/.test(d.departamento)) {
        ctx.addIssue({ code: "custom", path: ["departamento"], message: "Seleccione su departamento." });
      } else if (!/^\d{4}$/.test(d.provincia) || !d.provincia.startsWith(d.departamento)) {
        ctx.addIssue({ code: "custom", path: ["provincia"], message: "Seleccione su provincia." });
      } else if (!d.distrito.startsWith(d.provincia) || !isDistrito(d.distrito)) {
        ctx.addIssue({ code: "custom", path: ["distrito"], message: "Seleccione su distrito." });
      }
    }, { when: noIssuesAt("paisResidencia", "departamento", "provincia", "distrito") })
    .transform(({ departamento: _d, provincia: _p, distrito, ...rest }) => ({
      ...rest,
      ubigeo: rest.paisResidencia === "PE" ? distrito : null,
    }));
}

export type DatosContacto = z.output<ReturnType<typeof datosContactoSchema>>;

/** "Cambiar contraseña". The policy (passwordProblem) is applied by the use case, on the server. */
export const cambiarPasswordSchema = z
  .object({
    passwordActual: z.string({ error: "Ingrese su contraseña actual." }).min(1, "Ingrese su contraseña actual.").max(1000, "Contraseña incorrecta."),
    passwordNueva: z.string({ error: "Ingrese la nueva contraseña." }).min(1, "Ingrese la nueva contraseña."),
    passwordConfirmacion: z.string({ error: "Confirme la nueva contraseña." }),
  })
  .refine((d) => d.passwordNueva === d.passwordConfirmacion, {
    path: ["passwordConfirmacion"],
    message: "Las contraseñas no coinciden.",
    when: noIssuesAt("passwordNueva", "passwordConfirmacion"),
  });
