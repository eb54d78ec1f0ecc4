import { eq, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "~/db/schema";
import { createStaff } from "../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../tests/support/services";
import { createJobWorker, enqueueJob, JOB_RESULT_KEEP_MS, type JobHandler } from "./jobs.server";
import { newStorageKey } from "./storage.server";

/** A promise resolved from outside: the handler waits on it so the test sees the job mid-way. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe("the jobs table and its worker", () => {
  let s: TestServices;
  let staffId: string;
  let handler: JobHandler;
  let worker: ReturnType<typeof createJobWorker>;
  const row = async (id: string) => (await s.db.query.jobs.findFirst({ where: eq(jobs.id, id) }))!;
  const queue = () => enqueueJob(s.db, { kind: "prueba", subjectId: randomUUID(), requestedBy: staffId });
  const stored = async (text: string) => ({ ...(await s.storage.put(newStorageKey("pruebas/jobs"), Buffer.from(text))), name: "resultado.txt" });

  beforeAll(async () => {
    s = await createTestServices();
    staffId = (await createStaff(s, "gestor")).id;
    worker = createJobWorker({ db: s.db, storage: s.storage, logger: s.logger });
    worker.handle("prueba", (job, context) => handler(job, context));
  });
  afterAll(async () => {
    await worker.stop();
    await s?.close();
  });

  it("shows a job queued, then running with its progress, then ready with its file kept for a day", async () => {
    const g = gate();
    const reached = gate();
    handler = async (_job, { progress }) => {
      await progress(0, 10);
      await progress(3, 10);
      // Progress is written at most every 250 ms (and always the last): wait so this one is.
      await new Promise((r) => setTimeout(r, 300));
      await progress(4, 10);
      reached.open();
      await g.opened;
      await progress(10, 10);
      return stored("contenido");
    };
    const job = await queue();
    expect((await row(job.id)).status).toBe("pendiente");
    const running = worker.drain();
    await reached.opened;
    const mid = await row(job.id);
    expect(mid).toMatchObject({ status: "en_curso", done: 4, total: 10, attempts: 1, resultKey: null });
    expect(mid.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    g.open();
    expect(await running).toBe(1);
    const done = await row(job.id);
    expect(done).toMatchObject({ status: "lista", done: 10, total: 10, resultName: "resultado.txt", lockedUntil: null });
    expect((await s.storage.getBuffer(done.resultKey!)).toString()).toBe("contenido");
    expect(done.expiresAt!.getTime() - done.finishedAt!.getTime()).toBe(JOB_RESULT_KEEP_MS);
  });

  it("retries a job that throws, twice, then leaves it failed with its error", async () => {
    let calls = 0;
    handler = async () => {
      calls++;
      throw new Error("qpdf no responde");
    };
    const job = await queue();
    for (const [attempt, status] of [[1, "pendiente"], [2, "pendiente"], [3, "fallida"]] as const) {
      await worker.drain();
      expect(await row(job.id), `attempt ${attempt}`).toMatchObject({ status, attempts: attempt, lastError: "qpdf no responde" });
      // Not due again before its backoff; then made due now.
      expect(await worker.drain()).toBe(0);
      await s.db.update(jobs).set({ nextAttemptAt: sql`now()` }).where(eq(jobs.id, job.id));
    }
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(3);
    expect((await row(job.id)).finishedAt).not.toBeNull();
  });

  it("a worker whose lease was taken cannot record progress nor its result", async () => {
    handler = async (job, { progress }) => {
      // Another worker claimed it meanwhile (this one looked dead): the claim's token moved on.
      await s.db.update(jobs).set({ attempts: sql`${jobs.attempts} + 1` }).where(eq(jobs.id, job.id));
      await progress(1, 1);
      return stored("tarde");
    };
    const job = await queue();
    await worker.drain();
    const after = await row(job.id);
    expect(after).toMatchObject({ status: "en_curso", resultKey: null, done: 0 });
    // The lost worker's progress threw: nothing recorded, and the row is left to the worker that owns it.
  });

  it("puts a running job back in the queue when the worker stops, not counted as an attempt", async () => {
    const own = createJobWorker({ db: s.db, storage: s.storage, logger: s.logger });
    const started = gate();
    const g = gate();
    own.handle("prueba", async (_job, { progress }) => {
      started.open();
      await g.opened;
      await progress(1, 5);
      return stored("nunca");
    });
    const job = await queue();
    own.kick();
    await started.opened;
    const stopping = own.stop();
    g.open();
    await stopping;
    expect(await row(job.id)).toMatchObject({ status: "pendiente", attempts: 0, lockedUntil: null, resultKey: null });
    await s.db.delete(jobs).where(eq(jobs.id, job.id));
  });

  it("deletes a ready job's file once it expires; the row stays without it", async () => {
    handler = async () => stored("caduca");
    const job = await queue();
    await worker.drain();
    const ready = await row(job.id);
    expect(await s.storage.exists(ready.resultKey!)).toBe(true);
    expect(await worker.expire()).toBe(0);
    await s.db.update(jobs).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(jobs.id, job.id));
    expect(await worker.expire()).toBe(1);
    expect(await s.storage.exists(ready.resultKey!)).toBe(false);
    expect(await row(job.id)).toMatchObject({ status: "lista", resultKey: null });
  });

  it("two workers (two app processes) share the queue: each job runs once", async () => {
    const runs = new Map<string, number>();
    const make = () => {
      const w = createJobWorker({ db: s.db, storage: s.storage, logger: s.logger });
      w.handle("paralela", async (job, { progress }) => {
        runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 30));
        await progress(1, 1);
        return stored(job.id);
      });
      return w;
    };
    const queued = await Promise.all(Array.from({ length: 6 }, () => enqueueJob(s.db, { kind: "paralela", subjectId: randomUUID(), requestedBy: staffId })));
    const [a, b] = [make(), make()];
    const [ra, rb] = await Promise.all([a.drain(), b.drain()]);
    expect(ra + rb).toBe(6);
    expect(queued.map((j) => runs.get(j.id))).toEqual([1, 1, 1, 1, 1, 1]);
    for (const j of queued) expect((await row(j.id)).status).toBe("lista");
  });

  it("claims only the kinds it has a handler for", async () => {
    const other = await enqueueJob(s.db, { kind: "otra-cosa", subjectId: randomUUID(), requestedBy: staffId });
    expect(await worker.drain()).toBe(0);
    expect((await row(other.id)).status).toBe("pendiente");
  });
});
