import { asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { declaracionesJuradasFormatos as formatos } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { newStorageKey } from "~/platform/storage.server";
import { AppError } from "~/shared/app-error";
import type { UploadedFile } from "~/shared/uploaded-file";
import { findFormatoVigente } from "./find-formato.server";
import { nombreDescarga, tipoDeFormato } from "./tipo-archivo.server";

/**
 * The Declaraciones Juradas formats (seed 2.1.2): the administrator uploads, replaces,
 * orders and retires them; the public downloads the current ones in their order.
 * One use case a function, each with its audit row in the same transaction.
 */

export async function listFormatosVigentes(db: Db) {
  const rows = await db
    .select({
      id: formatos.id,
      titulo: formatos.titulo,
      filename: formatos.filename,
      contentType: formatos.contentType,
      size: formatos.size,
      updatedAt: formatos.updatedAt,
    })
    .from(formatos)
    .where(isNull(formatos.retiradoAt))
    .orderBy(asc(formatos.orden), asc(formatos.createdAt));
  return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
}

/** Stores the format from its temp file (moved into place by the local directory, streamed to S3). */
function storeFormato(services: Pick<Services, "storage">, archivo: UploadedFile) {
  return services.storage.putFile(newStorageKey("declaraciones"), archivo.path, { move: true, sha256: archivo.sha256 });
}

async function checked(archivo: UploadedFile, field: string) {
  const tipo = await tipoDeFormato(archivo);
  if ("problem" in tipo) throw new AppError("formato.archivo_no_aceptado", tipo.problem, { field, logCause: tipo.problem });
  return tipo;
}

export async function uploadFormato(options: { services: Services; actor: Actor; titulo: string; archivo: UploadedFile }) {
  const { services, actor, titulo, archivo } = options;
  const tipo = await checked(archivo, "archivo");
  const stored = await storeFormato(services, archivo);
  try {
    return await services.db.transaction(async (tx) => {
      const [{ next } = { next: 1 }] = await tx
        .select({ next: sql<number>`coalesce(max(${formatos.orden}), 0) + 1`.mapWith(Number) })
        .from(formatos);
      const [row] = await tx
        .insert(formatos)
        .values({
          titulo,
          orden: next,
          storageKey: stored.key,
          filename: nombreDescarga(titulo, tipo.ext),
          contentType: tipo.contentType,
          size: stored.size,
          sha256: stored.sha256,
          createdBy: actor.id,
        })
        .returning({ id: formatos.id });
      await audit(tx, actor, "dj_formato.cargado", { type: "dj_formato", id: row!.id }, {
        titulo,
        filename: nombreDescarga(titulo, tipo.ext),
        sha256: stored.sha256,
      });
      return { id: row!.id };
    });
  } catch (error) {
    await services.storage.delete(stored.key).catch(() => {});
    throw error;
  }
}

async function vigente(db: Db, id: string) {
  const row = await findFormatoVigente(db, id);
  if (!row) throw new AppError("formato.no_encontrado", "El formato no existe o fue retirado.", { status: 404 });
  return row;
}

/** A new version of the file under the same title and place; the old file is kept for the record. */
export async function replaceFormato(options: { services: Services; actor: Actor; id: string; archivo: UploadedFile }) {
  const { services, actor, id, archivo } = options;
  const current = await vigente(services.db, id);
  const tipo = await checked(archivo, `archivo-${id}`);
  const stored = await storeFormato(services, archivo);
  const filename = nombreDescarga(current.titulo, tipo.ext);
  await services.db.transaction(async (tx) => {
    await tx
      .update(formatos)
      .set({ storageKey: stored.key, filename, contentType: tipo.contentType, size: stored.size, sha256: stored.sha256, updatedAt: services.clock.now() })
      .where(eq(formatos.id, id));
    await audit(tx, actor, "dj_formato.reemplazado", { type: "dj_formato", id }, { filename, sha256: stored.sha256, anterior: current.sha256 });
  });
}

/** Swaps the format with its neighbour above or below in the public order. */
export async function moveFormato(options: { services: Services; actor: Actor; id: string; direccion: "subir" | "bajar" }) {
  const { services, actor, id, direccion } = options;
  await vigente(services.db, id);
  await services.db.transaction(async (tx) => {
    const lista = await tx
      .select({ id: formatos.id, orden: formatos.orden })
      .from(formatos)
      .where(isNull(formatos.retiradoAt))
      .orderBy(asc(formatos.orden), asc(formatos.createdAt));
    const i = lista.findIndex((f) => f.id === id);
    const j = direccion === "subir" ? i - 1 : i + 1;
    if (i < 0 || j < 0 || j >= lista.length) return;
    // Renumber the whole list 1..n with the two swapped, so equal or gapped orders settle too.
    const nueva = [...lista];
    [nueva[i], nueva[j]] = [nueva[j]!, nueva[i]!];
    for (const [k, f] of nueva.entries()) {
      if (f.orden !== k + 1) await tx.update(formatos).set({ orden: k + 1 }).where(eq(formatos.id, f.id));
    }
    await audit(tx, actor, "dj_formato.reordenado", { type: "dj_formato", id }, { direccion });
  });
}

export async function retireFormato(options: { services: Services; actor: Actor; id: string }) {
  const { services, actor, id } = options;
  await vigente(services.db, id);
  await services.db.transaction(async (tx) => {
    const now = services.clock.now();
    await tx.update(formatos).set({ retiradoAt: now, updatedAt: now }).where(eq(formatos.id, id));
    await audit(tx, actor, "dj_formato.retirado", { type: "dj_formato", id });
  });
}
