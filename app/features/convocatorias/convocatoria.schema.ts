import { z } from "zod";
import type { Exigencia } from "./documentos";
import { FILAS_CRONOGRAMA } from "./cronograma";
import { TIPOS_CONTRATO } from "./tipo-contrato";

/**
 * The convocatoria form (create and edit), one schema for the browser and the action.
 * The cronograma and the document rows are flat fields (`etapa-3-nombre`, `doc-EXPERIENCIA`)
 * so the form posts without JavaScript; `cronogramaInput` gathers them.
 */
/** Above this the figure is a typing mistake, not a CAS salary (the highest CAS pay is far below it). */
export const REMUNERACION_MAXIMA = 50_000;

const texto = (label: string, min: number, max: number) =>
  z
    .string({ error: `Ingrese ${label}.` })
    .trim()
    .min(min, { error: min <= 1 ? `Ingrese ${label}.` : `${label[0]!.toUpperCase()}${label.slice(1)}: al menos ${min} caracteres.` })
    .max(max, { error: `Como máximo ${max} caracteres.` });

const requisito = z.string().trim().max(4000, { error: "Como máximo 4000 caracteres." }).default("");

export const convocatoriaSchema = z.object({
  codigo: texto("el código", 3, 80),
  puesto: texto("el puesto", 3, 200),
  unidadOrganica: texto("la unidad orgánica", 2, 200),
  vacantes: z
    .string()
    .trim()
    .regex(/^\d+$/, { error: "Ingrese el número de vacantes (un número entero)." })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(1, { error: "Debe haber al menos 1 vacante." })
        .max(500, { error: "Como máximo 500 vacantes por convocatoria." }),
    ),
  remuneracion: z
    .string()
    .trim()
    .transform((s) => s.replace(/^S\/\s*/i, "").replace(/,/g, ""))
    .pipe(
      z
        .string()
        .regex(/^-?\d+(\.\d{1,2})?$/, { error: "Ingrese la remuneración en soles, por ejemplo 4500.00." })
        .transform(Number)
        .pipe(
          z
            .number()
            .positive({ error: "La remuneración debe ser mayor que cero." })
            .max(REMUNERACION_MAXIMA, { error: "La remuneración no puede superar S/ 50,000.00 mensuales." }),
        ),
    ),
  tipoContrato: z.enum(TIPOS_CONTRATO.map((t) => t.value) as [string, ...string[]], {
    error: "Elija el tipo de contrato.",
  }),
  sede: texto("la sede", 2, 200),
  departamento: z.string().optional(),
  provincia: z.string().optional(),
  // The code alone, or a suggestion ("150122 MIRAFLORES (LIMA, LIMA)"): its leading 6 digits.
  ubigeo: z.preprocess(
    (v) => (typeof v === "string" ? (/^\s*(\d{6})(?:\s|$)/.exec(v)?.[1] ?? v) : v),
    z.string({ error: "Elija el distrito." }).regex(/^\d{6}$/, { error: "Elija el distrito." }),
  ),
  formacionAcademica: requisito,
  experienciaGeneral: requisito,
  experienciaEspecifica: requisito,
  cursosEspecializacion: requisito,
  conocimientos: requisito,
  competencias: requisito,
});

export type ConvocatoriaInput = z.output<typeof convocatoriaSchema>;

export const CAMPO_LABELS: Record<string, string> = {
  codigo: "Código",
  puesto: "Puesto",
  unidadOrganica: "Unidad orgánica",
  vacantes: "Número de vacantes",
  remuneracion: "Remuneración mensual (S/)",
  tipoContrato: "Tipo de contrato",
  sede: "Sede",
  ubigeo: "Distrito",
  bases: "Bases (PDF)",
  cronograma: "Cronograma",
  documentos: "Documentos",
};

/** One row of the cronograma as typed (Lima date and time). */
export type EtapaTexto = { nombre: string; inicioFecha: string; inicioHora: string; finFecha: string; finHora: string };

export function cronogramaInput(formData: FormData): EtapaTexto[] {
  const rows: EtapaTexto[] = [];
  const get = (k: string) => String(formData.get(k) ?? "").trim();
  for (let i = 0; i < FILAS_CRONOGRAMA; i++) {
    rows.push({
      nombre: get(`etapa-${i}-nombre`).slice(0, 120),
      inicioFecha: get(`etapa-${i}-inicioFecha`),
      inicioHora: get(`etapa-${i}-inicioHora`),
      finFecha: get(`etapa-${i}-finFecha`),
      finHora: get(`etapa-${i}-finHora`),
    });
  }
  return rows;
}

/**
 * The documents' choices by the form's row key ("doc-<key>"); the use case reads them against
 * the catalogue, and a row missing or with another value takes the type's default.
 */
export function documentosInput(formData: FormData): Record<string, Exigencia> {
  const result: Record<string, Exigencia> = {};
  for (const [name, value] of formData) {
    if (!name.startsWith("doc-")) continue;
    if (value === "obligatorio" || value === "opcional" || value === "no_solicitado") result[name.slice(4)] = value;
  }
  return result;
}

export const motivoSchema = z.object({
  motivo: z
    .string({ error: "Indique el motivo." })
    .trim()
    .min(10, { error: "Indique el motivo (al menos 10 caracteres)." })
    .max(2000, { error: "Como máximo 2000 caracteres." }),
});
