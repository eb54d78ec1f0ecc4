import { z } from "zod";
import { normalizeNumero, numeroProblem, tipoDocumentoLabel, tiposFor, TIPOS_DOCUMENTO, type TipoDocumento } from "./documento";
import { celular, checked, direccion, email, fechaNacimiento, nombre, sexo, telefono } from "./fields";
import { isPais, NACIONALIDADES } from "./paises";

/**
 * The two forms of "Crear nuevo usuario" (seed 2.1.1). The server is the judge; these
 * files hold no server-only import, so the browser may use them for hints. The checks
 * that need server data (the common-password list, the district table) are handed in
 * by the server as `checks`.
 */

const NACIONALIDAD_CODES = new Set(NACIONALIDADES.map((n) => n.value));
const TIPO_CODES = TIPOS_DOCUMENTO.map((t) => t.value) as [TipoDocumento, ...TipoDocumento[]];

/** Step 1: "Nacionalidad", "Tipo de documento", "Número de documento". */
export const registroPaso1Schema = z
  .object({
    nacionalidad: z
      .string({ error: "Seleccione su nacionalidad." })
      .refine((v) => NACIONALIDAD_CODES.has(v), "Seleccione su nacionalidad."),
    tipoDocumento: z.enum(TIPO_CODES, { error: "Seleccione el tipo de documento." }),
    numeroDocumento: z
      .string({ error: "Ingrese el número de documento." })
      .max(40, "El número de documento es demasiado largo.")
      .transform(normalizeNumero)
      .pipe(z.string().min(1, "Ingrese el número de documento.")),
  })
  .superRefine((v, ctx) => {
    // Without JavaScript the type list cannot follow the nationality, so the pair is checked here.
    if (!tiposFor(v.nacionalidad).includes(v.tipoDocumento)) {
      ctx.addIssue({
        code: "custom",
        path: ["tipoDocumento"],
        message:
          v.nacionalidad === "PE"
            ? "Si su nacionalidad es peruana, regístrese con su DNI."
            : `El DNI es solo para peruanos. Elija ${tiposFor(v.nacionalidad).map(tipoDocumentoLabel).join(", ")}.`,
      });
      return;
    }
    const problem = numeroProblem(v.tipoDocumento, v.numeroDocumento);
    if (problem) ctx.addIssue({ code: "custom", path: ["numeroDocumento"], message: problem });
  });

export type RegistroPaso1 = z.output<typeof registroPaso1Schema>;

/** Server-side checks the step-2 schema needs (see the file comment). */
export type RegistroChecks = {
  passwordProblem(password: string, context: { numeroDocumento?: string | null; fechaNacimiento?: string | null }): string | null;
  isDistrito(code: string): boolean;
};

const optionalText = z.string().optional();
/** An empty or blank value is "not given". */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** Step 2, "Registrar Datos de Usuario", for the document chosen in step 1. */
export function registroDatosSchema(options: { paso1: RegistroPaso1; today: () => Date; checks: RegistroChecks }) {
  const { paso1, today, checks } = options;
  const peruano = paso1.nacionalidad === "PE";
  return z
    .object({
      nombres: nombre("sus nombres"),
      apellidoPaterno: nombre("su apellido paterno"),
      // Many foreigners have one surname: the second is required of Peruvians only (as on the DNI).
      apellidoMaterno: peruano
        ? nombre("su apellido materno")
        : z.preprocess(blankToUndefined, nombre("su apellido materno").optional()),
      fechaNacimiento: fechaNacimiento(today),
      sexo,
      email,
      emailConfirmacion: optionalText,
      celular,
      telefono,
      paisResidencia: z
        .string({ error: "Seleccione su país de residencia." })
        .refine((v) => isPais(v), "Seleccione su país de residencia."),
      direccion,
      departamento: optionalText,
      provincia: optionalText,
      distrito: optionalText,
      password: z.string({ error: "Ingrese una contraseña." }).min(1, "Ingrese una contraseña."),
      passwordConfirmacion: optionalText,
      consentimiento: checked("Debe aceptar el tratamiento de sus datos personales para crear la cuenta."),
    })
    .superRefine(
      (raw, ctx) => {
        // Runs even when other fields failed (`when`), so every message shows at once;
        // fields that failed may still hold raw input, hence the typeof checks.
        const v = raw as Record<string, unknown>;
        const str = (k: string) => (typeof v[k] === "string" ? (v[k] as string) : "");
        const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });

        if (typeof v.email === "string" && str("emailConfirmacion").trim().toLowerCase() !== v.email) {
          issue("emailConfirmacion", "Los correos electrónicos no coinciden.");
        }
        const password = str("password");
        if (password) {
          const fecha = /^\d{4}-\d{2}-\d{2}$/.test(str("fechaNacimiento")) ? str("fechaNacimiento") : null;
          const problem = checks.passwordProblem(password, { numeroDocumento: paso1.numeroDocumento, fechaNacimiento: fecha });
          if (problem) issue("password", problem);
          else if (str("passwordConfirmacion") !== password) issue("passwordConfirmacion", "Las contraseñas no coinciden.");
        }
        if (str("paisResidencia") === "PE") {
          const dep = str("departamento");
          const prov = str("provincia");
          const dist = str("distrito");
          if (!/^\d{2}$/.test(dep)) issue("departamento", "Seleccione el departamento.");
          else if (!/^\d{4}$/.test(prov) || !prov.startsWith(dep)) issue("provincia", "Seleccione la provincia.");
          else if (!dist.startsWith(prov) || !checks.isDistrito(dist)) issue("distrito", "Seleccione el distrito.");
        }
      },
      { when: () => true },
    )
    .transform((v) => ({
      nombres: v.nombres,
      apellidoPaterno: v.apellidoPaterno,
      apellidoMaterno: v.apellidoMaterno ?? null,
      fechaNacimiento: v.fechaNacimiento,
      sexo: v.sexo,
      email: v.email,
      celular: v.celular,
      telefono: v.telefono,
      paisResidencia: v.paisResidencia,
      direccion: v.direccion,
      /** The INEI district code, for an address in Peru only. */
      ubigeo: v.paisResidencia === "PE" ? (v.distrito ?? null) : null,
      password: v.password,
    }));
}

export type RegistroDatos = z.output<ReturnType<typeof registroDatosSchema>>;

/** Field labels, for the error summary ("Label: message"). */
export const REGISTRO_LABELS: Record<string, string> = {
  nacionalidad: "Nacionalidad",
  tipoDocumento: "Tipo de documento",
  numeroDocumento: "Número de documento",
  nombres: "Nombres",
  apellidoPaterno: "Apellido paterno",
  apellidoMaterno: "Apellido materno",
  fechaNacimiento: "Fecha de nacimiento",
  sexo: "Sexo",
  email: "Correo electrónico",
  emailConfirmacion: "Confirmar correo electrónico",
  celular: "Celular",
  telefono: "Teléfono",
  paisResidencia: "País de residencia",
  direccion: "Dirección",
  departamento: "Departamento",
  provincia: "Provincia",
  distrito: "Distrito",
  password: "Contraseña",
  passwordConfirmacion: "Confirmar contraseña",
  consentimiento: "Tratamiento de datos personales",
};
