import { readFile } from "node:fs/promises";
import { asc, eq } from "drizzle-orm";
import { EncryptedPDFError, PDFDocument } from "pdf-lib";
import type { Db } from "~/db/client.server";
import { convocatoriaDocumentos, convocatoriaPerfiles, cronogramaEtapas, tiposDocumento } from "~/db/schema";
import { servedFileName } from "~/shared/file-name";
import type { UploadedFile } from "~/shared/uploaded-file";
import { pdfHeaderScanner } from "~/platform/pdf/envelope.mjs";
import type { Storage } from "~/platform/storage.server";
import { newStorageKey } from "~/platform/storage.server";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";
import { esEtapa, type Etapa } from "./cronograma";
import type { ConvocatoriaInput, EtapaTexto } from "./convocatoria.schema";
import { filasConfiguracion, type Exigencia, type FilaConfiguracion, type TipoDocumento } from "./documentos";
import { AppError } from "~/shared/app-error";
import { formatLima, limaToDate } from "~/shared/lima";
import { normalizeSearch } from "./normalize";

/** The bases' limit: the upload reader cuts the file at this size + 1 byte while it streams in. */
export const BASES_MAX_BYTES = 20 * 1024 * 1024;

/** The convocatorias columns a create or an edit writes from the form. */
export function columnasDe(input: ConvocatoriaInput) {
  return {
    codigo: input.codigo,
    puesto: input.puesto,
    unidadOrganica: input.unidadOrganica,
    vacantes: input.vacantes,
    remuneracion: input.remuneracion.toFixed(2),
    tipoContrato: input.tipoContrato as "indeterminado",
    sede: input.sede,
    ubigeo: input.ubigeo,
  };
}

/** The perfil del puesto a create or an edit writes from the form (convocatoria_perfiles). */
export function perfilDe(input: ConvocatoriaInput) {
  return {
    formacionAcademica: input.formacionAcademica,
    experienciaGeneral: input.experienciaGeneral,
    experienciaEspecifica: input.experienciaEspecifica,
    cursosEspecializacion: input.cursosEspecializacion,
    conocimientos: input.conocimientos,
    competencias: input.competencias,
  };
}

/** A convocatoria's requirements as written (all empty when it has no row yet). */
export async function perfilDeConvocatoria(db: Db, convocatoriaId: string) {
  const row = await db.query.convocatoriaPerfiles.findFirst({ where: eq(convocatoriaPerfiles.convocatoriaId, convocatoriaId) });
  return {
    formacionAcademica: row?.formacionAcademica ?? "",
    experienciaGeneral: row?.experienciaGeneral ?? "",
    experienciaEspecifica: row?.experienciaEspecifica ?? "",
    cursosEspecializacion: row?.cursosEspecializacion ?? "",
    conocimientos: row?.conocimientos ?? "",
    competencias: row?.competencias ?? "",
  };
}

/** Writes (or replaces) a convocatoria's perfil, in the caller's transaction. */
export async function guardarPerfil(tx: Db, convocatoriaId: string, perfil: ReturnType<typeof perfilDe>) {
  await tx
    .insert(convocatoriaPerfiles)
    .values({ convocatoriaId, ...perfil })
    .onConflictDoUpdate({ target: convocatoriaPerfiles.convocatoriaId, set: perfil });
}

export const busquedaDe = (c: { codigo: string; puesto: string; unidadOrganica: string }) =>
  normalizeSearch(`${c.codigo} ${c.puesto} ${c.unidadOrganica}`);

/**
 * A file is a PDF when a parser reads it whole (ARCHITECTURE.md), not when its name says so.
 * Returns the Spanish reason it is refused, or null.
 */
export async function basesProblem(upload: UploadedFile): Promise<string | null> {
  if (upload.size > BASES_MAX_BYTES) return "Las bases no deben superar los 20 MB.";
  if (upload.size === 0) return "El archivo de las bases está vacío.";
  // pdf-lib parses from memory: the file is read here, for the checks only (it is stored from the file).
  const bytes = await readFile(upload.path);
  // Two PDFs glued together: the stored file would keep the first hidden (pdf-and-files.md, `concatenated`).
  if (pdfHeaderScanner().push(bytes) !== -1) return "Las bases contienen varios PDF pegados uno tras otro. Cargue un solo PDF.";
  try {
    const doc = await PDFDocument.load(bytes, { throwOnInvalidObject: true, updateMetadata: false });
    if (doc.getPageCount() < 1) return "El PDF de las bases no tiene páginas.";
    return null;
  } catch (error) {
    if (error instanceof EncryptedPDFError || /encrypted/i.test((error as Error).message)) {
      return "El PDF de las bases está protegido con contraseña. Cargue una versión sin contraseña.";
    }
    return "El archivo de las bases no es un PDF válido (está dañado o es de otro tipo).";
  }
}

/** Stores the bases from their temp file (moved into place by the local directory, streamed to S3). */
export async function storeBases(storage: Storage, upload: UploadedFile) {
  const stored = await storage.putFile(newStorageKey("bases"), upload.path, { move: true, sha256: upload.sha256 });
  return { basesKey: stored.key, basesSize: stored.size, basesSha256: stored.sha256, basesFilename: servedFileName(upload.filename) };
}

/**
 * The cronograma as typed → stages in UTC, or a message per wrong field. Rules: every stage
 * ends after it starts; stages follow one another in order without overlapping; exactly one
 * stage is "Postulación" (the window) and it lies within Publicación … Resultado final.
 */
export function validarCronograma(rows: EtapaTexto[]): { etapas: Etapa[]; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const etapas: Etapa[] = [];
  let previous: Etapa | undefined;
  rows.forEach((row, i) => {
    const blank = !row.nombre && !row.inicioFecha && !row.inicioHora && !row.finFecha && !row.finHora;
    if (blank) return;
    const n = i + 1;
    if (!row.nombre) {
      errors[`etapa-${i}-nombre`] = `Etapa ${n}: ingrese el nombre de la etapa.`;
      return;
    }
    const inicio = limaToDate(row.inicioFecha, row.inicioHora || "00:00");
    const fin = limaToDate(row.finFecha, row.finHora || "23:59");
    if (!inicio) {
      errors[`etapa-${i}-inicioFecha`] = `${row.nombre}: ingrese una fecha y hora de inicio válidas.`;
      return;
    }
    if (!fin) {
      errors[`etapa-${i}-finFecha`] = `${row.nombre}: ingrese una fecha y hora de fin válidas.`;
      return;
    }
    if (fin <= inicio) {
      errors[`etapa-${i}-finFecha`] = `${row.nombre}: la fecha de fin debe ser posterior a la de inicio.`;
      return;
    }
    if (previous && inicio < previous.fin) {
      errors[`etapa-${i}-inicioFecha`] =
        inicio < previous.inicio
          ? `${row.nombre}: las etapas deben estar en orden; esta empieza antes que «${previous.nombre}».`
          : `${row.nombre}: se superpone con «${previous.nombre}», que termina el ${formatLima(previous.fin)}.`;
      return;
    }
    const etapa = { orden: etapas.length + 1, nombre: row.nombre, inicio, fin, esPostulacion: esEtapa(row.nombre, "postulacion") };
    etapas.push(etapa);
    previous = etapa;
  });
  if (Object.keys(errors).length) return { etapas, errors };
  const postulaciones = etapas.filter((e) => e.esPostulacion);
  if (postulaciones.length !== 1) {
    errors.cronograma =
      postulaciones.length === 0
        ? "El cronograma debe tener una etapa llamada «Postulación»: es el plazo para postular."
        : "El cronograma debe tener una sola etapa «Postulación».";
    return { etapas, errors };
  }
  const postulacion = postulaciones[0]!;
  const publicacion = etapas.find((e) => esEtapa(e.nombre, "publicacion"));
  const resultado = etapas.find((e) => esEtapa(e.nombre, "resultado final"));
  if ((publicacion && postulacion.inicio < publicacion.inicio) || (resultado && postulacion.fin > resultado.inicio)) {
    errors.cronograma = "La etapa de Postulación debe estar entre la Publicación y el Resultado final.";
  }
  return { etapas, errors };
}

export function validarUbigeo(ubigeo: string): Record<string, string> {
  return isDistrito(ubigeo) ? {} : { ubigeo: "Elija un distrito válido." };
}

/** The catalogue (tipos_documento): every type, retired ones too, in its order. */
export async function listTiposDocumento(db: Db): Promise<TipoDocumento[]> {
  return db
    .select({
      codigo: tiposDocumento.codigo,
      nombre: tiposDocumento.nombre,
      maxBytes: tiposDocumento.maxBytes,
      requeridoPorDefecto: tiposDocumento.requeridoPorDefecto,
      orden: tiposDocumento.orden,
      activo: tiposDocumento.activo,
      identidad: tiposDocumento.identidad,
      bonificacion: tiposDocumento.bonificacion,
    })
    .from(tiposDocumento)
    .orderBy(asc(tiposDocumento.orden), asc(tiposDocumento.codigo));
}

/** The types of the catalogue a convocatoria's form offers: the active ones, and those it already asks for. */
export function tiposOfrecidos(catalogo: readonly TipoDocumento[], yaPedidos: readonly { tipo: string }[] = []): TipoDocumento[] {
  return catalogo.filter((t) => t.activo || yaPedidos.some((d) => d.tipo === t.codigo));
}

/** The types a convocatoria picked for the form's choices; the identity row stores both codes. */
export function documentoRows(filas: readonly FilaConfiguracion[], exigencias: Record<string, Exigencia>): { tipo: string; requerido: boolean }[] {
  return filas.flatMap((fila) => {
    const e = exigencias[fila.key] ?? fila.defaultExigencia;
    return e === "no_solicitado" ? [] : fila.codes.map((tipo) => ({ tipo, requerido: e === "obligatorio" }));
  });
}

export type DocumentoRow = { tipo: string; requerido: boolean; nombre: string; maxBytes: number; orden: number };

/** The columns of a convocatoria_documentos row as a DocumentoRow (a select's fields). */
export const documentoColumnas = {
  tipo: convocatoriaDocumentos.tipo,
  requerido: convocatoriaDocumentos.requerido,
  nombre: convocatoriaDocumentos.nombre,
  maxBytes: convocatoriaDocumentos.maxBytes,
  orden: convocatoriaDocumentos.orden,
};

/**
 * The document rows of a convocatoria's form (none given: a new one): the catalogue's active
 * types and those it already asks for, in the catalogue's order; a published one shows the
 * names it keeps, a borrador those the catalogue has now (what saving it will store).
 */
export async function filasDelFormulario(db: Db, c?: { estado: string; documentos: readonly DocumentoRow[] }): Promise<FilaConfiguracion[]> {
  const actuales = c?.documentos ?? [];
  const ofrecidos = tiposOfrecidos(await listTiposDocumento(db), actuales);
  if (!c || c.estado === "borrador") return filasConfiguracion(ofrecidos);
  return filasConfiguracion(ofrecidos.map((t) => ({ ...t, nombre: actuales.find((d) => d.tipo === t.codigo)?.nombre ?? t.nombre })));
}

/**
 * The convocatoria_documentos rows for what the form picked: each type's name, size limit and
 * order as the catalogue has them now or, with `conservar`, as the convocatoria's `actuales`
 * rows keep them (a published convocatoria: what it published stays its rule). The form offers
 * the catalogue's active types and those the convocatoria already asks for; others are dropped.
 */
export async function documentosElegidos(
  db: Db,
  exigencias: Record<string, Exigencia>,
  options: { actuales?: readonly DocumentoRow[]; conservar?: boolean } = {},
): Promise<DocumentoRow[]> {
  const actuales = options.actuales ?? [];
  const catalogo = await listTiposDocumento(db);
  const ofrecidos = tiposOfrecidos(catalogo, actuales);
  return documentoRows(filasConfiguracion(ofrecidos), exigencias).map(({ tipo, requerido }) => {
    const kept = options.conservar ? actuales.find((d) => d.tipo === tipo) : undefined;
    const t = ofrecidos.find((o) => o.codigo === tipo)!;
    return kept ? { ...kept, requerido } : { tipo, requerido, nombre: t.nombre, maxBytes: t.maxBytes, orden: t.orden };
  });
}

export function documentosIguales(a: DocumentoRow[], b: DocumentoRow[]) {
  const key = (rows: DocumentoRow[]) =>
    rows
      .map((r) => `${r.tipo}:${r.requerido}:${r.nombre}:${r.maxBytes}:${r.orden}`)
      .sort()
      .join("|");
  return key(a) === key(b);
}

export async function replaceEtapas(tx: Db, convocatoriaId: string, etapas: Etapa[]) {
  await tx.delete(cronogramaEtapas).where(eq(cronogramaEtapas.convocatoriaId, convocatoriaId));
  if (etapas.length) await tx.insert(cronogramaEtapas).values(etapas.map((e) => ({ ...e, convocatoriaId })));
}

export async function replaceDocumentos(tx: Db, convocatoriaId: string, rows: DocumentoRow[]) {
  await tx.delete(convocatoriaDocumentos).where(eq(convocatoriaDocumentos.convocatoriaId, convocatoriaId));
  if (rows.length) await tx.insert(convocatoriaDocumentos).values(rows.map((r) => ({ ...r, convocatoriaId })));
}

/** PostgreSQL's unique_violation, from either driver. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}

export function codigoRepetido(codigo: string) {
  return new AppError("convocatoria.codigo_repetido", `Ya existe una convocatoria con el código «${codigo}».`, {
    status: 409,
    field: "codigo",
    logCause: "codigo repetido",
  });
}
