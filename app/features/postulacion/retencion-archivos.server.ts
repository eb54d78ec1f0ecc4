import { and, eq, isNotNull, isNull, lt, lte, notExists, sql } from "drizzle-orm";
import { archivos, documentos, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { scheduleRecurringJob } from "~/platform/jobs.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { cantidad, formatBytes } from "~/shared/format";
import { dateToLima, formatLima } from "~/shared/lima";
import { deleteQuietly } from "./upload-documento.server";

const DAY = 24 * 60 * 60 * 1000;
/** The job kind of the daily sweep (jobs table), registered by the composition root. */
export const RETENCION_JOB = "archivos-retencion";

/** Used by no postulación (not even a draft, nor a registered one: those are kept with their record). */
const sinUso = notExists(sql`(select 1 from ${documentos} where ${documentos.archivoId} = ${archivos.id})`);

/**
 * Ley 29733 (Protección de Datos Personales: data kept no longer than its purpose needs) for
 * Mis documentos (issue 17), run once a day by the jobs worker:
 *
 * 1. **Notice.** Files used by no postulación and untouched (`last_used_at`: uploaded, used
 *    or removed from a postulación) for ARCHIVOS_RETENCION_DIAS get ONE e-mail per applicant
 *    (outbox, in the transaction that marks them `aviso_retencion_at`) listing them and the
 *    date from which they will be deleted.
 * 2. **Deletion.** Files noticed ARCHIVOS_AVISO_DIAS ago or more, still used by nothing and not
 *    touched since the notice (a use or an upload again clears the mark), are deleted: rows in
 *    one transaction with their audit line, the stored bytes after COMMIT.
 *
 * Every condition is re-checked in the statement that acts, so a file used between the read and
 * the write is left alone. The clock is the services' (tests move it).
 */
export async function sweepRetencionArchivos(services: Pick<Services, "db" | "clock" | "config" | "storage" | "logger" | "entidad">) {
  const { db, clock, config } = services;
  const now = clock.now();
  const limiteUso = new Date(now.getTime() - config.archivosRetencionDias * DAY);
  const limiteAviso = new Date(now.getTime() - config.archivosAvisoDias * DAY);
  const eliminacionDesde = new Date(now.getTime() + config.archivosAvisoDias * DAY);

  // 1. Notices, one per applicant.
  const porAvisar = and(isNull(archivos.avisoRetencionAt), lt(archivos.lastUsedAt, limiteUso), sinUso);
  const candidatos = await db.selectDistinct({ postulanteId: archivos.postulanteId }).from(archivos).where(porAvisar);
  const entity = await services.entidad.current();
  let avisados = 0;
  for (const { postulanteId } of candidatos) {
    await db.transaction(async (tx) => {
      const marcados = await tx
        .update(archivos)
        .set({ avisoRetencionAt: now })
        .where(and(eq(archivos.postulanteId, postulanteId), porAvisar))
        .returning();
      if (!marcados.length) return;
      const [p] = await tx.select({ email: postulantes.email, nombres: postulantes.nombres }).from(postulantes).where(eq(postulantes.id, postulanteId));
      const subject = "Sus documentos sin uso serán eliminados — Mis documentos";
      const mail = composeMail({
        entity,
        baseUrl: config.baseUrl,
        subject,
        greeting: `Estimado(a) ${p!.nombres}:`,
        blocks: [
          `Los siguientes documentos de «Mis documentos» no los usa ninguna postulación y no se han usado en ${cantidad(config.archivosRetencionDias, "día", "días")}. En cumplimiento de la Ley N° 29733, Ley de Protección de Datos Personales, se eliminarán a partir del ${formatLima(eliminacionDesde)} (hora de Lima):`,
          { list: marcados.map((a) => `${a.filename} (${cantidad(a.pages, "página", "páginas")}, ${formatBytes(a.size)}; SHA-256 ${a.sha256})`) },
          "Si desea conservar alguno, úselo en una postulación o descárguelo y cárguelo de nuevo antes de esa fecha. Si no hace nada, se eliminarán.",
          { link: `${config.baseUrl}/mis-documentos`, label: "Ver Mis documentos" },
        ],
      });
      await enqueueMail(tx, { causeKey: `archivos-retencion:${postulanteId}:${dateToLima(now).fecha}`, to: p!.email, subject, ...mail });
      await audit(tx, { type: "system", id: null }, "archivo.aviso_retencion", { type: "postulante", id: postulanteId }, {
        archivos: marcados.map((a) => a.id),
        eliminacionDesde: eliminacionDesde.toISOString(),
      });
      avisados += marcados.length;
    });
  }

  // 2. Deletions, after the notice's period, of what is still unused and untouched.
  const eliminados = await db.transaction(async (tx) => {
    const rows = await tx
      .delete(archivos)
      .where(
        and(
          isNotNull(archivos.avisoRetencionAt),
          lte(archivos.avisoRetencionAt, limiteAviso),
          lte(archivos.lastUsedAt, archivos.avisoRetencionAt),
          sinUso,
        ),
      )
      .returning();
    for (const postulanteId of new Set(rows.map((a) => a.postulanteId))) {
      const suyos = rows.filter((a) => a.postulanteId === postulanteId);
      await audit(tx, { type: "system", id: null }, "archivo.eliminado_por_retencion", { type: "postulante", id: postulanteId }, {
        archivos: suyos.map((a) => ({ id: a.id, sha256: a.sha256 })),
      });
    }
    return rows;
  });
  await deleteQuietly(services, eliminados.flatMap((a) => [a.originalKey, a.sanitizedKey]));
  if (avisados || eliminados.length) services.logger.info({ avisados, eliminados: eliminados.length }, "retention of mis documentos");
  return { avisados, eliminados: eliminados.length };
}


/**
 * The daily sweep on the jobs table (decision 009): each run sweeps, then queues the next one a
 * day later; `start()` queues the first (scheduleRetencion) when none is waiting.
 */
export function registerRetencionJob(services: Services): void {
  services.jobs.handle(RETENCION_JOB, async (job) => {
    await sweepRetencionArchivos(services);
    await scheduleRecurringJob(services.db, RETENCION_JOB, new Date(Date.now() + DAY), job.id);
  });
}

/** Queues the daily sweep now, unless one is already waiting or running. */
export const scheduleRetencion = (db: Services["db"]) => scheduleRecurringJob(db, RETENCION_JOB, new Date());
