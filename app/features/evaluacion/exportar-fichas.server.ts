import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";
import { ZipArchive } from "archiver";
import { and, asc, count, desc, eq, gt, inArray } from "drizzle-orm";
import { convocatorias, jobs, postulaciones } from "~/db/schema";
import { AppError } from "~/shared/app-error";
import { enqueueJob, type Job, type JobContext, type JobResult } from "~/platform/jobs.server";
import { newStorageKey } from "~/platform/storage.server";
import type { Services } from "~/platform/services.server";
import { buildFicha, fichaVigente } from "~/features/postulacion/build-ficha.server";
import { auditar } from "./auditoria.server";
import { convocatoriaNoEncontrada } from "./errors";
import { safeName } from "./exportar.server";

/**
 * "Descargar fichas (ZIP)": the registered Ficha de Postulación of EVERY registered
 * postulación of a convocatoria, in one ZIP prepared by a background job (the jobs table,
 * app/platform/jobs.server.ts) and kept in storage for a day (JOB_RESULT_KEEP_MS).
 * A ficha never built (nobody opened it) is built first, as the expediente would build it
 * (buildFicha: the registered ficha, from the registered documents). docs/evaluacion.md, "Exports".
 */
export const FICHAS_ZIP = "fichas-zip";
const BATCH = 200;

export type ExportacionFichas = {
  id: string;
  estado: "pendiente" | "en_curso" | "lista" | "fallida";
  hechas: number;
  total: number | null;
  /** The ZIP can be downloaded (ready and not yet deleted). */
  disponible: boolean;
  tamano: number | null;
  creadaAt: Date;
  terminadaAt: Date | null;
  expiraAt: Date | null;
  /** Why it failed, or (when ready) the fichas that could not be built. */
  aviso: string | null;
};

const vista = (j: Job): ExportacionFichas => ({
  id: j.id,
  estado: j.status,
  hechas: j.done,
  total: j.total,
  disponible: j.status === "lista" && Boolean(j.resultKey),
  tamano: j.resultSize,
  creadaAt: j.createdAt,
  terminadaAt: j.finishedAt,
  expiraAt: j.expiresAt,
  aviso: j.status === "fallida" ? "No se pudo preparar el archivo. Vuelva a intentarlo; si el problema continúa, avise a soporte." : j.resultNote,
});

export const exportacionNoEncontrada = () =>
  new AppError("evaluacion.exportacion_no_encontrada", "No encontramos esa descarga de fichas.", { status: 404, logCause: "fichas export not found" });

export const exportacionNoDisponible = () =>
  new AppError("evaluacion.exportacion_no_disponible", "El archivo ya no está disponible: prepárelo de nuevo.", { status: 410, logCause: "fichas export not ready or expired" });

async function findConvocatoria(services: Pick<Services, "db">, convocatoriaId: string) {
  const [conv] = await services.db
    .select({ id: convocatorias.id, codigo: convocatorias.codigo, puesto: convocatorias.puesto })
    .from(convocatorias)
    .where(eq(convocatorias.id, convocatoriaId));
  if (!conv) throw convocatoriaNoEncontrada();
  return conv;
}

/** The page "Fichas de postulación (ZIP)": how many registered, and the latest exports of the convocatoria. */
export async function getExportacionesFichas(options: { services: Pick<Services, "db">; convocatoriaId: string }) {
  const { db } = options.services;
  const convocatoria = await findConvocatoria(options.services, options.convocatoriaId);
  const [{ n }] = (await db
    .select({ n: count() })
    .from(postulaciones)
    .where(and(eq(postulaciones.convocatoriaId, convocatoria.id), eq(postulaciones.estado, "registrada")))) as [{ n: number }];
  const rows = await db
    .select()
    .from(jobs)
    .where(and(eq(jobs.kind, FICHAS_ZIP), eq(jobs.subjectId, convocatoria.id)))
    .orderBy(desc(jobs.createdAt))
    .limit(10);
  return { convocatoria, registradas: n, exportaciones: rows.map(vista) };
}

/**
 * "Preparar ZIP de fichas": queues the job (or returns the one already queued or running for
 * this convocatoria: two clicks never build twice), audited as an export.
 */
export async function solicitarExportacionFichas(options: { services: Services; actorId: string; convocatoriaId: string }): Promise<{ id: string }> {
  const { db } = options.services;
  const conv = await findConvocatoria(options.services, options.convocatoriaId);
  const job = await db.transaction(async (tx) => {
    const [running] = await tx
      .select()
      .from(jobs)
      .where(and(eq(jobs.kind, FICHAS_ZIP), eq(jobs.subjectId, conv.id), inArray(jobs.status, ["pendiente", "en_curso"])))
      .limit(1);
    if (running) return running;
    const created = await enqueueJob(tx, { kind: FICHAS_ZIP, subjectId: conv.id, requestedBy: options.actorId });
    await auditar(tx, options.actorId, "postulaciones.exportadas", { type: "convocatoria", id: conv.id }, { formato: "zip", exportacion: created.id });
    return created;
  });
  options.services.jobs.kick();
  return { id: job.id };
}

async function findJob(services: Pick<Services, "db">, convocatoriaId: string, exportacionId: string): Promise<Job> {
  const job = await services.db.query.jobs.findFirst({
    where: and(eq(jobs.id, exportacionId), eq(jobs.kind, FICHAS_ZIP), eq(jobs.subjectId, convocatoriaId)),
  });
  if (!job) throw exportacionNoEncontrada();
  return job;
}

/** The status page of one export (progress while it runs, the download when ready). */
export async function getExportacionFichas(options: { services: Pick<Services, "db">; convocatoriaId: string; exportacionId: string }) {
  const convocatoria = await findConvocatoria(options.services, options.convocatoriaId);
  return { convocatoria, exportacion: vista(await findJob(options.services, convocatoria.id, options.exportacionId)) };
}

/** The ready ZIP to stream from storage; the download is audited. */
export async function abrirZipFichas(options: { services: Pick<Services, "db">; actorId: string; convocatoriaId: string; exportacionId: string }) {
  const job = await findJob(options.services, options.convocatoriaId, options.exportacionId);
  if (job.status !== "lista" || !job.resultKey) throw exportacionNoDisponible();
  await auditar(options.services.db, options.actorId, "postulaciones.exportacion_descargada", { type: "convocatoria", id: job.subjectId }, { formato: "zip", exportacion: job.id });
  return { key: job.resultKey, size: job.resultSize!, filename: job.resultName! };
}


/**
 * The job: the ZIP written to a temp file under DATA_DIR/tmp as the fichas are read (one
 * stored PDF after another, each opened only when the previous one is in the archive, so
 * memory does not grow with the count), then put in storage. PDFs are stored, not
 * deflated (they are compressed already). Progress after every ficha.
 */
export async function construirZipFichas(services: Services, job: Job, context: JobContext): Promise<JobResult> {
  const { db, storage, logger } = services;
  const conv = await findConvocatoria(services, job.subjectId);
  const registradas = and(eq(postulaciones.convocatoriaId, conv.id), eq(postulaciones.estado, "registrada"));
  const [{ total }] = (await db.select({ total: count() }).from(postulaciones).where(registradas)) as [{ total: number }];
  await context.progress(0, total);
  const dir = path.join(services.config.dataDir, "tmp");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `fichas-${job.id}-${job.attempts}.zip`);
  const out = createWriteStream(file);
  const zip = new ZipArchive({ store: true });
  const failed = new Promise<never>((_, reject) => {
    zip.on("error", reject);
    out.on("error", reject);
  });
  failed.catch(() => undefined);
  zip.on("warning", (w) => logger.warn({ err: w, jobId: job.id }, "fichas zip warning"));
  zip.pipe(out);
  try {
    const sinFicha: string[] = [];
    let done = 0;
    let after = "";
    for (;;) {
      const rows = await db.select().from(postulaciones).where(and(registradas, gt(postulaciones.numero, after))).orderBy(asc(postulaciones.numero)).limit(BATCH);
      if (!rows.length) break;
      for (const r of rows) {
        let key = fichaVigente(r) ? r.fichaKey! : null;
        if (!key) {
          try {
            ({ key } = await buildFicha({ services, postulacionId: r.id, actorId: job.requestedBy!, actorType: "staff" }));
          } catch (error) {
            if (context.signal.aborted) throw error;
            logger.error({ err: error, postulacionId: r.id, jobId: job.id }, "fichas zip: ficha could not be built");
            sinFicha.push(r.numero!);
          }
        }
        if (key) {
          zip.append(await storage.get(key), { name: `ficha-${r.numero}.pdf` });
          await Promise.race([once(zip, "entry"), failed]);
        }
        await context.progress(++done, Math.max(total, done));
      }
      after = rows.at(-1)!.numero!;
    }
    if (sinFicha.length) {
      zip.append(
        `Postulaciones cuya Ficha de Postulación no se pudo generar (${sinFicha.length}); no se incluyen:\r\n${sinFicha.join("\r\n")}\r\n`,
        { name: "LEAME.txt" },
      );
    }
    await Promise.race([Promise.all([zip.finalize(), finished(out)]), failed]);
    const stored = await storage.putFile(newStorageKey("exportaciones/fichas"), file, { move: true });
    return {
      key: stored.key,
      size: stored.size,
      name: `fichas-${safeName(conv.codigo)}.zip`,
      note: sinFicha.length ? `${sinFicha.length} ficha(s) no se pudieron generar; el archivo LEAME.txt del ZIP las lista.` : null,
    };
  } catch (error) {
    zip.abort();
    out.destroy();
    throw error;
  } finally {
    await rm(file, { force: true });
  }
}

/** Registers this feature's background jobs with the worker (the composition root calls it once). */
export function registerExportJobs(services: Services): void {
  services.jobs.handle(FICHAS_ZIP, (job, context) => construirZipFichas(services, job, context));
}
