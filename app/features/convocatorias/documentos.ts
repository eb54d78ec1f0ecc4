/**
 * The catalogue of supporting-document types (PRODUCT.md, seed 2.1.4) and what a convocatoria
 * picks from it. The catalogue is a table the administrador keeps (tipos_documento,
 * /admin/tipos-documento); migration 0009 seeded it with the seed's rows. A convocatoria says
 * which types it accepts and which it requires (table convocatoria_documentos) and keeps each
 * type's name, size limit and order as they were when it picked them: everything an applicant,
 * the ficha and the exports see of a convocatoria's documents is read from its own rows.
 *
 * The identity document follows the applicant's nationality: a Peruvian uploads the DNI,
 * a foreigner the "Carnet de extranjería / otro". The HR office configures them as one
 * "Documento de identidad" row (both codes are stored with the same `requerido`);
 * `tiposParaPostulante` keeps the one that applies to a given applicant.
 */
export const MB = 1024 * 1024;

/** A type's size limit, in whole MB: the hard bounds the administrador chooses within (20 MB: as the bases). */
export const TAMANO_MINIMO_MB = 1;
export const TAMANO_MAXIMO_MB = 20;
/** The largest file any type may accept: the upload routes' bound (server/edge.ts). */
export const TAMANO_MAXIMO_BYTES = TAMANO_MAXIMO_MB * MB;

/** The codes migration 0009 seeded, which the domain, the demo data and the tests name. */
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

export type Identidad = "peruano" | "extranjero";

/** A type of the catalogue (a row of tipos_documento). */
export type TipoDocumento = {
  codigo: string;
  nombre: string;
  maxBytes: number;
  /** Preselected as "Obligatorio" when a convocatoria is created. */
  requeridoPorDefecto: boolean;
  orden: number;
  /** False once retired: no longer offered to new convocatorias. */
  activo: boolean;
  /** Identity documents: which applicants it applies to (fixed, never edited). */
  identidad: Identidad | null;
  /** The bonus sustentos claim a bonificación: never required by default (fixed, never edited). */
  bonificacion: boolean;
};

/** How the HR office configures a type on a convocatoria. */
export type Exigencia = "obligatorio" | "opcional" | "no_solicitado";

/**
 * The rows the HR form shows: the two identity documents are one row ("IDENTIDAD"),
 * the rest one row each, in the catalogue's order.
 */
export type FilaConfiguracion = { key: string; label: string; codes: string[]; defaultExigencia: Exigencia };

type TipoDeFila = Pick<TipoDocumento, "codigo" | "nombre" | "requeridoPorDefecto" | "identidad">;

/** The form's rows for these types (given in the catalogue's order). */
export function filasConfiguracion(tipos: readonly TipoDeFila[]): FilaConfiguracion[] {
  const filas: FilaConfiguracion[] = [];
  const identidad = tipos.filter((t) => t.identidad);
  for (const t of tipos) {
    if (!t.identidad) {
      filas.push({ key: t.codigo, label: t.nombre, codes: [t.codigo], defaultExigencia: t.requeridoPorDefecto ? "obligatorio" : "opcional" });
    } else if (t === identidad[0]) {
      const nombre = (quien: Identidad) => identidad.find((i) => i.identidad === quien)?.nombre;
      const partes = [nombre("peruano") && `${nombre("peruano")} para peruanos`, nombre("extranjero") && `${nombre("extranjero")} para extranjeros`];
      filas.push({
        key: "IDENTIDAD",
        label: `Documento de identidad (${partes.filter(Boolean).join("; ")})`,
        codes: identidad.map((i) => i.codigo),
        defaultExigencia: "obligatorio",
      });
    }
  }
  return filas;
}

/** A type as a convocatoria keeps it (a row of convocatoria_documentos with its identity trait). */
export type DocumentoConvocatoria = {
  tipo: string;
  requerido: boolean;
  nombre: string;
  maxBytes: number;
  orden: number;
  identidad: Identidad | null;
};

export type TipoParaPostulante = { code: string; label: string; maxBytes: number; requerido: boolean };

/**
 * The types one applicant sees for one convocatoria, in the drop-down's order: those the
 * convocatoria accepts, with the name and limit it keeps, and of the identity documents only
 * the one for their nationality (ISO 3166-1 alpha-2; "PE" is Peruvian).
 */
export function tiposParaPostulante(documentos: readonly DocumentoConvocatoria[], nacionalidad: string): TipoParaPostulante[] {
  const peruano = nacionalidad.toUpperCase() === "PE";
  return documentos
    .filter((d) => !d.identidad || (d.identidad === "peruano") === peruano)
    .toSorted((a, b) => a.orden - b.orden)
    .map((d) => ({ code: d.tipo, label: d.nombre, maxBytes: d.maxBytes, requerido: d.requerido }));
}
