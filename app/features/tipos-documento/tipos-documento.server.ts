import { eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { tiposDocumento } from "~/db/schema";
import { isUniqueViolation, listTiposDocumento } from "~/features/convocatorias/convocatoria-datos.server";
import { MB, TAMANO_MAXIMO_MB, TAMANO_MINIMO_MB, type TipoDocumento } from "~/features/convocatorias/documentos";
import { normalizeSearch } from "~/features/convocatorias/normalize";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import type { TipoDocumentoInput } from "./tipo-documento.schema";

/**
 * The catalogue of document types (docs/administracion.md, "Tipos de documento"): the
 * administrador renames a type, changes its size limit and whether it is "Obligatorio" by
 * default, orders the list, retires a type (no longer offered to new convocatorias) or takes
 * it back, and adds types. One use case a function, each with its audit row in the same
 * transaction. A convocatoria keeps the name and limit it picked (convocatoria_documentos),
 * so nothing here changes a call already saved.
 *
 * The domain's traits are fixed: the identity pair (DNI / Carnet de extranjería) is always
 * "Obligatorio" by default, cannot be retired and moves as one row; a bonificación's sustento
 * is never "Obligatorio" by default and cannot be retired (the bonificaciones rest on it).
 */

type Staff = Actor & { type: "staff"; id: string };

/** The list as it moves: one group a type, the identity pair one group. */
export function gruposDeOrden<T extends Pick<TipoDocumento, "identidad">>(lista: readonly T[]): T[][] {
  const grupos: T[][] = [];
  for (const t of lista) {
    const identidad = t.identidad && grupos.find((g) => g[0]!.identidad);
    if (identidad) identidad.push(t);
    else grupos.push([t]);
  }
  return grupos;
}

/** Whether the administrador may retire it and choose its "Obligatorio por defecto". */
export const esFijo = (t: Pick<TipoDocumento, "identidad" | "bonificacion">) => Boolean(t.identidad) || t.bonificacion;

export const tipoNoExiste = () =>
  new AppError("tipo_documento.no_encontrado", "El tipo de documento no existe.", { status: 404, logCause: "tipo not found" });

/** One type of the catalogue; 404 when the code does not exist. */
export async function getTipoDocumento(db: Db, codigo: string) {
  const [row] = await db.select().from(tiposDocumento).where(eq(tiposDocumento.codigo, codigo));
  if (!row) throw tipoNoExiste();
  return row;
}

/** The input's rules, checked again here whoever calls: a name, a limit within the hard bounds. */
function validar(input: TipoDocumentoInput) {
  const nombre = input.nombre.trim().replace(/\s+/g, " ");
  const errors: Record<string, string> = {};
  if (nombre.length < 3 || nombre.length > 120) errors.nombre = "Ingrese el nombre del tipo de documento (de 3 a 120 caracteres).";
  if (!Number.isInteger(input.tamanoMb) || input.tamanoMb < TAMANO_MINIMO_MB || input.tamanoMb > TAMANO_MAXIMO_MB) {
    errors.tamanoMb = `Indique el tamaño máximo en MB: un número entero de ${TAMANO_MINIMO_MB} a ${TAMANO_MAXIMO_MB}.`;
  }
  if (Object.keys(errors).length) throw AppError.many("tipo_documento.datos_invalidos", errors, "tipo invalido");
  return { nombre, maxBytes: input.tamanoMb * MB };
}

const nombreRepetido = (nombre: string) =>
  new AppError("tipo_documento.nombre_repetido", `Ya existe un tipo de documento llamado «${nombre}».`, {
    status: 409,
    field: "nombre",
    logCause: "nombre repetido",
  });

async function assertNombreLibre(db: Db, nombre: string, codigo?: string) {
  const [otro] = await db
    .select({ codigo: tiposDocumento.codigo })
    .from(tiposDocumento)
    .where(sql`lower(${tiposDocumento.nombre}) = lower(${nombre})`);
  if (otro && otro.codigo !== codigo) throw nombreRepetido(nombre);
}

/** Two administradores saving the same name at once: the unique index decides, the loser is told as above. */
async function repetidoComo409<T>(nombre: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw nombreRepetido(nombre);
    throw error;
  }
}

/** "SUSTENTO_DE_COLEGIATURA" for "Sustento de colegiatura": the name's letters and digits, upper case. */
export function codigoDe(nombre: string): string {
  const base = normalizeSearch(nombre)
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40)
    .replace(/_+$/, "");
  return base || "TIPO";
}

/** "Agregar": a new type at the end of the list, offered to new convocatorias at once. */
export async function createTipoDocumento(options: { services: Services; actor: Staff; input: TipoDocumentoInput }): Promise<{ codigo: string }> {
  const { services, actor } = options;
  const { nombre, maxBytes } = validar(options.input);
  const requeridoPorDefecto = options.input.obligatorio;
  return repetidoComo409(nombre, () => services.db.transaction(async (tx) => {
    await assertNombreLibre(tx, nombre);
    const existentes = await tx.select({ codigo: tiposDocumento.codigo, orden: tiposDocumento.orden }).from(tiposDocumento);
    const base = codigoDe(nombre);
    let codigo = base;
    for (let n = 2; existentes.some((t) => t.codigo === codigo); n++) codigo = `${base}_${n}`;
    const orden = Math.max(0, ...existentes.map((t) => t.orden)) + 1;
    await tx.insert(tiposDocumento).values({ codigo, nombre, maxBytes, requeridoPorDefecto, orden });
    await audit(tx, actor, "tipo_documento.creado", { type: "tipo_documento", id: codigo }, { codigo, nombre, maxBytes, requeridoPorDefecto });
    return { codigo };
  }));
}

/**
 * "Guardar": a type's name, size limit and "Obligatorio por defecto" (kept as is for the fixed
 * types). Audited with the fields changed and their values before and after; nothing to audit
 * when nothing changed.
 */
export async function updateTipoDocumento(options: { services: Services; actor: Staff; codigo: string; input: TipoDocumentoInput }): Promise<void> {
  const { services, actor, codigo } = options;
  const { nombre, maxBytes } = validar(options.input);
  await repetidoComo409(nombre, () => services.db.transaction(async (tx) => {
    const actual = await getTipoDocumento(tx, codigo);
    await assertNombreLibre(tx, nombre, codigo);
    const requeridoPorDefecto = esFijo(actual) ? actual.requeridoPorDefecto : options.input.obligatorio;
    const despues = { nombre, maxBytes, requeridoPorDefecto };
    const cambios = (Object.keys(despues) as (keyof typeof despues)[]).filter((k) => despues[k] !== actual[k]);
    if (!cambios.length) return;
    await tx.update(tiposDocumento).set({ ...despues, updatedAt: services.clock.now() }).where(eq(tiposDocumento.codigo, codigo));
    await audit(tx, actor, "tipo_documento.actualizado", { type: "tipo_documento", id: codigo }, {
      codigo,
      campos: cambios,
      antes: Object.fromEntries(cambios.map((k) => [k, actual[k]])),
      despues: Object.fromEntries(cambios.map((k) => [k, despues[k]])),
    });
  }));
}

/**
 * "Subir" / "Bajar": the type (the identity pair: both) changes place with the row above or
 * below; the whole list is renumbered 1..n so that equal or gapped orders settle too.
 */
export async function moveTipoDocumento(options: { services: Services; actor: Staff; codigo: string; direccion: "subir" | "bajar" }) {
  const { services, actor, codigo, direccion } = options;
  await services.db.transaction(async (tx) => {
    const grupos = gruposDeOrden(await listTiposDocumento(tx));
    const i = grupos.findIndex((g) => g.some((t) => t.codigo === codigo));
    if (i < 0) throw tipoNoExiste();
    const j = direccion === "subir" ? i - 1 : i + 1;
    if (j < 0 || j >= grupos.length) return;
    [grupos[i], grupos[j]] = [grupos[j]!, grupos[i]!];
    for (const [k, t] of grupos.flat().entries()) {
      if (t.orden !== k + 1) await tx.update(tiposDocumento).set({ orden: k + 1 }).where(eq(tiposDocumento.codigo, t.codigo));
    }
    await audit(tx, actor, "tipo_documento.reordenado", { type: "tipo_documento", id: codigo }, { codigo, direccion });
  });
}

/** "Retirar" (no longer offered to new convocatorias; those that picked it keep it) or "Reactivar". */
export async function setTipoDocumentoActivo(options: { services: Services; actor: Staff; codigo: string; activo: boolean }) {
  const { services, actor, codigo, activo } = options;
  await services.db.transaction(async (tx) => {
    const actual = await getTipoDocumento(tx, codigo);
    if (!activo && esFijo(actual)) {
      throw new AppError(
        "tipo_documento.no_retirable",
        actual.identidad
          ? "El documento de identidad se solicita en toda convocatoria: no se puede retirar."
          : "Los sustentos de bonificación no se pueden retirar: las bonificaciones de ley se acreditan con ellos.",
        { status: 409, logCause: "fixed type" },
      );
    }
    if (actual.activo === activo) return;
    await tx.update(tiposDocumento).set({ activo, updatedAt: services.clock.now() }).where(eq(tiposDocumento.codigo, codigo));
    await audit(tx, actor, activo ? "tipo_documento.reactivado" : "tipo_documento.retirado", { type: "tipo_documento", id: codigo }, { codigo });
  });
}
