/**
 * The catalogue of supporting-document types (PRODUCT.md, seed 2.1.4), in the order of the
 * postulación's drop-down list, with each type's size limit (PDF only). A convocatoria says
 * which of them it accepts and which it requires (table convocatoria_documentos).
 *
 * The identity document follows the applicant's nationality: a Peruvian uploads the DNI,
 * a foreigner the "Carnet de extranjería / otro". The HR office configures them as one
 * "Documento de identidad" row (both codes are stored with the same `requerido`);
 * `tiposParaPostulante` keeps the one that applies to a given applicant.
 */
const MB = 1024 * 1024;

export type TipoDocumentoCode =
  | "DNI"
  | "CARNET_EXTRANJERIA"
  | "FICHA_CURRICULAR"
  | "FORMACION_ACADEMICA"
  | "CURSOS_CAPACITACIONES"
  | "EXPERIENCIA"
  | "LICENCIADO_FFAA"
  | "DISCAPACIDAD_CONADIS"
  | "DEPORTISTA_ALTO_NIVEL"
  | "DECLARACIONES_JURADAS";

export type TipoDocumento = {
  code: TipoDocumentoCode;
  /** The seed's label, word for word. */
  label: string;
  maxBytes: number;
  /** Preselected as required when a convocatoria is created. */
  defaultRequerido: boolean;
  /** Identity documents: which applicants it applies to. */
  identidad?: "peruano" | "extranjero";
  /** The bonus sustentos claim a bonificación: never required, accepted by default. */
  bonificacion?: boolean;
};

export const TIPOS_DOCUMENTO: readonly TipoDocumento[] = [
  { code: "DNI", label: "DNI", maxBytes: 5 * MB, defaultRequerido: true, identidad: "peruano" },
  {
    code: "CARNET_EXTRANJERIA",
    label: "Carnet de extranjería / otro",
    maxBytes: 5 * MB,
    defaultRequerido: true,
    identidad: "extranjero",
  },
  { code: "FICHA_CURRICULAR", label: "Ficha Curricular", maxBytes: 5 * MB, defaultRequerido: true },
  { code: "FORMACION_ACADEMICA", label: "Sustentos de formación académica", maxBytes: 10 * MB, defaultRequerido: true },
  { code: "CURSOS_CAPACITACIONES", label: "Sustentos de cursos y capacitaciones", maxBytes: 10 * MB, defaultRequerido: false },
  { code: "EXPERIENCIA", label: "Sustentos de experiencia", maxBytes: 10 * MB, defaultRequerido: true },
  {
    code: "LICENCIADO_FFAA",
    label: "Sustento de Personal licenciado(a) de las Fuerzas Armadas",
    maxBytes: 5 * MB,
    defaultRequerido: false,
    bonificacion: true,
  },
  {
    code: "DISCAPACIDAD_CONADIS",
    label: "Sustento de Persona con Discapacidad (CONADIS)",
    maxBytes: 5 * MB,
    defaultRequerido: false,
    bonificacion: true,
  },
  {
    code: "DEPORTISTA_ALTO_NIVEL",
    label: "Sustento de Deportista Calificado de Alto Nivel",
    maxBytes: 5 * MB,
    defaultRequerido: false,
    bonificacion: true,
  },
  { code: "DECLARACIONES_JURADAS", label: "Declaraciones Juradas", maxBytes: 5 * MB, defaultRequerido: true },
];

export const TIPO_DOCUMENTO_CODES = TIPOS_DOCUMENTO.map((t) => t.code) as [TipoDocumentoCode, ...TipoDocumentoCode[]];

export function tipoDocumento(code: string): TipoDocumento | undefined {
  return TIPOS_DOCUMENTO.find((t) => t.code === code);
}

/** How the HR office configures a type on a convocatoria. */
export type Exigencia = "obligatorio" | "opcional" | "no_solicitado";

/**
 * The rows the HR form shows: the two identity documents are one row ("IDENTIDAD"),
 * the rest one row each, in the catalogue's order.
 */
export type FilaConfiguracion = { key: string; label: string; codes: TipoDocumentoCode[]; defaultExigencia: Exigencia };

export const FILAS_CONFIGURACION: readonly FilaConfiguracion[] = [
  {
    key: "IDENTIDAD",
    label: "Documento de identidad (DNI para peruanos; Carnet de extranjería / otro para extranjeros)",
    codes: ["DNI", "CARNET_EXTRANJERIA"],
    defaultExigencia: "obligatorio",
  },
  ...TIPOS_DOCUMENTO.filter((t) => !t.identidad).map((t) => ({
    key: t.code,
    label: t.label,
    codes: [t.code],
    defaultExigencia: (t.defaultRequerido ? "obligatorio" : "opcional") as Exigencia,
  })),
];

export type DocumentoConvocatoria = { tipo: string; requerido: boolean };

/**
 * The types one applicant sees for one convocatoria, in the drop-down's order: only those
 * the convocatoria accepts, and of the identity documents only the one for their nationality
 * (ISO 3166-1 alpha-2; "PE" is Peruvian).
 */
export function tiposParaPostulante(
  documentos: readonly DocumentoConvocatoria[],
  nacionalidad: string,
): (TipoDocumento & { requerido: boolean })[] {
  const peruano = nacionalidad.toUpperCase() === "PE";
  const result: (TipoDocumento & { requerido: boolean })[] = [];
  for (const tipo of TIPOS_DOCUMENTO) {
    if (tipo.identidad && (tipo.identidad === "peruano") !== peruano) continue;
    const row = documentos.find((d) => d.tipo === tipo.code);
    if (row) result.push({ ...tipo, requerido: row.requerido });
  }
  return result;
}
