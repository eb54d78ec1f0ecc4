import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { jobs } from "~/db/schema";
import type { Logger } from "./logger.server";
import type { Storage } from "./storage.server";

export type Job = typeof jobs.$inferSelect;

/** What a job's handler may tell while it runs. */
export type JobContext = {
  /** Writes `done` of `total` (at most every PROGRESS_EVERY_MS, and always the last) and renews the lease. */
  progress(done: number, total: number): Promise<void>;
  /** Aborted when the worker stops (SIGTERM): the job goes back to the queue, not counted as an attempt. */
  signal: AbortSignal;
};

/** A job's product: a stored file, kept for `keepMs` after the job ends, and a note for the person (what it lacks). */
export type JobResult = { key: string; size: number; name: string; note?: string | null };
/** A handler returns its product, or nothing for a job whose work is its effect (a daily sweep). */
export type JobHandler = (job: Job, context: JobContext) => Promise<JobResult | void>;

/** The job's lease was taken by another worker (this one was too slow, or presumed dead). */
export class JobLeaseLostError extends Error {
  constructor(id: string) {
    super(`job ${id}: lease lost`);
    this.name = "JobLeaseLostError";
  }
}

class JobStoppedError extends Error {}

const LEASE_SECONDS = 120;
const MAX_ATTEMPTS = 3;
const PROGRESS_EVERY_MS = 250;
/** How long a finished job's file is kept (docs/evaluacion.md, "Exports"). */
export const JOB_RESULT_KEEP_MS = 24 * 60 * 60 * 1000;

/** Queues a job; the worker of any app process runs it. */
export async function enqueueJob(db: Db, job: { kind: string; subjectId: string; requestedBy: string }): Promise<Job> {
  const [row] = await db.insert(jobs).values(job).returning();
  return row!;
}

/**
 * A recurring job (no subject, no requester): queued to run at `at` unless one of its kind is
 * already waiting or running (other than `except`, the run that schedules its successor).
 * Two processes starting together may both queue one: recurring handlers are idempotent.
 */
export async function scheduleRecurringJob(db: Db, kind: string, at: Date, except?: string): Promise<void> {
  await db.execute(sql`
    insert into ${jobs} (kind, subject_id, next_attempt_at)
    select ${kind}, '00000000-0000-0000-0000-000000000000', ${at.toISOString()}::timestamptz
    where not exists (
      select 1 from ${jobs} where kind = ${kind} and status in ('pendiente', 'en_curso')
        and (${except ?? null}::uuid is null or id <> ${except ?? null}::uuid))`);
}

/**
 * Runs the jobs table (decision 001's outbox, generalised): due rows are claimed with
 * FOR UPDATE SKIP LOCKED and a lease, one at a time per process, so several app processes
 * share the work. `attempts` is the claim's fencing token: a worker whose lease ran out and
 * was claimed again cannot write progress nor finish (JobLeaseLostError). A thrown error
 * retries after 30 s, 60 s; the third leaves the job `fallida` with its error. A finished
 * job's file is deleted once `expires_at` has passed (the row stays, without `result_key`).
 *
 *   const worker = createJobWorker({ db, storage, logger });
 *   worker.handle("fichas-zip", (job, { progress }) => …);   // the composition root registers
 *   worker.start();   // poll; worker.kick() after a commit that queued one
 */
export function createJobWorker(options: { db: Db; storage: Storage; logger: Logger; pollMs?: number; keepMs?: number }) {
  const { db, logger } = options;
  const handlers = new Map<string, JobHandler>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let stopped = false;
  let stopping = new AbortController();

  async function claim(): Promise<Job | undefined> {
    const kinds = [...handlers.keys()];
    if (!kinds.length) return undefined;
    const result = await db.execute<{ id: string }>(sql`
      update ${jobs} set status = 'en_curso', locked_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      where id = (
        select id from ${jobs}
        where status in ('pendiente', 'en_curso') and next_attempt_at <= now() and (locked_until is null or locked_until < now())
          and kind in (${sql.join(kinds.map((k) => sql`${k}`), sql`, `)})
        order by created_at limit 1 for update skip locked)
      returning id`);
    const id = (result as unknown as { rows: { id: string }[] }).rows[0]?.id;
    return id ? db.query.jobs.findFirst({ where: eq(jobs.id, id) }) : undefined;
  }

  const mine = (job: Job) => and(eq(jobs.id, job.id), eq(jobs.attempts, job.attempts), eq(jobs.status, "en_curso"));

  async function run(job: Job): Promise<void> {
    let last = 0;
    const context: JobContext = {
      signal: stopping.signal,
      async progress(done, total) {
        if (stopping.signal.aborted) throw new JobStoppedError();
        const now = Date.now();
        if (done < total && now - last < PROGRESS_EVERY_MS) return;
        last = now;
        const rows = await db
          .update(jobs)
          .set({ done, total, lockedUntil: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
          .where(mine(job))
          .returning({ id: jobs.id });
        if (!rows.length) throw new JobLeaseLostError(job.id);
      },
    };
    let result: JobResult | undefined;
    try {
      result = (await handlers.get(job.kind)!(job, context)) ?? undefined;
      const keep = options.keepMs ?? JOB_RESULT_KEEP_MS;
      const rows = await db
        .update(jobs)
        .set({
          status: "lista",
          resultKey: result?.key ?? null,
          resultSize: result?.size ?? null,
          resultName: result?.name ?? null,
          resultNote: result?.note ?? null,
          lockedUntil: null,
          lastError: null,
          finishedAt: sql`now()`,
          expiresAt: sql`now() + make_interval(secs => ${keep / 1000})`,
        })
        .where(mine(job))
        .returning({ id: jobs.id });
      if (!rows.length) throw new JobLeaseLostError(job.id);
      logger.info({ jobId: job.id, kind: job.kind, size: result?.size }, "job finished");
    } catch (error) {
      if (result) await options.storage.delete(result.key).catch(() => undefined);
      if (error instanceof JobLeaseLostError) {
        logger.warn({ jobId: job.id, kind: job.kind }, "job lease lost; another worker runs it");
        return;
      }
      if (error instanceof JobStoppedError || stopping.signal.aborted) {
        logger.info({ jobId: job.id, kind: job.kind }, "job put back in the queue: the worker stops");
        await db
          .update(jobs)
          .set({ status: "pendiente", lockedUntil: null, attempts: sql`${jobs.attempts} - 1` })
          .where(mine(job));
        return;
      }
      const failed = job.attempts >= MAX_ATTEMPTS;
      logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts, err: error }, failed ? "job failed" : "job failed; retried later");
      await db
        .update(jobs)
        .set({
          status: failed ? "fallida" : "pendiente",
          lastError: String((error as Error).message).slice(0, 500),
          lockedUntil: null,
          finishedAt: failed ? sql`now()` : null,
          nextAttemptAt: sql`now() + make_interval(secs => ${30 * 2 ** (job.attempts - 1)})`,
        })
        .where(mine(job));
    }
  }

  /** Deletes the files of finished jobs past `expires_at`; returns how many. */
  async function expire(): Promise<number> {
    const old = await db
      .select({ id: jobs.id, key: jobs.resultKey })
      .from(jobs)
      .where(and(isNotNull(jobs.resultKey), lt(jobs.expiresAt, sql`now()`)))
      .limit(100);
    for (const j of old) await options.storage.delete(j.key!);
    if (old.length) await db.update(jobs).set({ resultKey: null }).where(inArray(jobs.id, old.map((j) => j.id)));
    return old.length;
  }

  /** Runs every due job now, one after another; returns how many were run. */
  async function drain(): Promise<number> {
    let total = 0;
    await expire();
    for (;;) {
      if (stopped) return total;
      const job = await claim();
      if (!job) return total;
      await run(job);
      total++;
    }
  }

  function tick() {
    if (stopped) return;
    running ??= drain()
      .catch((error) => {
        logger.error({ err: (error as Error).message }, "job worker error");
        return 0;
      })
      .finally(() => {
        running = undefined;
      });
  }

  return {
    drain,
    expire,
    handle(kind: string, handler: JobHandler) {
      handlers.set(kind, handler);
    },
    /** Ask for a pass soon (after a commit that queued a job). */
    kick: () => setImmediate(tick),
    start() {
      stopped = false;
      stopping = new AbortController();
      timer = setInterval(tick, options.pollMs ?? 2000);
      timer.unref();
      tick();
    },
    /** Stops claiming; a running job stops at its next progress and goes back to the queue. */
    async stop() {
      stopped = true;
      stopping.abort();
      if (timer) clearInterval(timer);
      await running;
    },
  };
}

export type JobWorker = ReturnType<typeof createJobWorker>;
