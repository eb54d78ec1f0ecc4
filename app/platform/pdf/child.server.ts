import { spawn, type ChildProcess } from "node:child_process";
import { sourceScriptPath } from "~/platform/script-path.server";
import { CHILD_ENV, readRssBytes, wallTimeoutMs, watchChild } from "./watch.mjs";

/**
 * Runs a command as a child process WATCHED for memory and time: its resident memory and
 * CPU time are read from /proc/<pid>/status (VmRSS) and /proc/<pid>/stat (utime + stime)
 * every `pollMs`, and the child is SIGKILLed above `maxRssBytes` or past `timeoutMs` of CPU
 * time (PDF-FACTS.md: V8 heap limits and ulimit do not bound a PDF parser; this does).
 * CPU time, not wall time: on a machine saturated at a deadline a normal file's parse can
 * take many times its CPU time in wall time, and must not be refused for that. The wall
 * clock is a backstop, `wallTimeoutMs` (default 8 × `timeoutMs`); where /proc is missing
 * only the backstop applies.
 *
 *   const r = await runWatched("qpdf", ["--check", f], { maxRssBytes: 512 << 20, timeoutMs: 15_000 });
 *   r.killedFor  // "memory" | "time" | "output" | undefined
 *
 * With `stdoutLimitBytes` the child's stdout is counted, not kept (`r.stdoutBytes`), and
 * the child is killed ("output") once it has written more: how a stream's decoded size is
 * measured without holding it (`qpdf --show-object=N --filtered-stream-data`).
 *
 * The children are started and watched by the RUNNER (runner.mjs), a small process of its
 * own started at the first job: libuv's spawn blocks the event loop until the child has
 * exec'd, longer the more memory the caller has (the server: ~10 ms idle, 100+ ms on a
 * loaded machine, per child). If the runner dies, its children are killed and the jobs run
 * from this process (`runWatchedHere`). Child and runner get a fixed PATH and no other
 * environment variable (no secret reaches a parser of hostile files).
 *
 * `createLimiter(2)` runs at most 2 such children at a time, the rest wait in a queue of
 * bounded length (a flood of uploads cannot fork-bomb the server); a job may take several
 * units of the capacity (`run(job, 2)`: a child allowed twice the memory).
 */
export type WatchOptions = {
  maxRssBytes: number;
  /** CPU time (user + system) allowed to the child, in ms. */
  timeoutMs: number;
  /** Wall-clock backstop in ms; default WALL_FACTOR (8) × timeoutMs. */
  wallTimeoutMs?: number;
  pollMs?: number;
  /** stdout kept (the rest is dropped); default 64 KiB. */
  maxStdout?: number;
  /** Count stdout instead of keeping it; SIGKILL ("output") past this many bytes. */
  stdoutLimitBytes?: number;
};

export type WatchedResult = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedFor: "memory" | "time" | "output" | undefined;
  peakRssBytes: number;
  /** CPU time the child had used at the last poll (ms; 0 if it ended before one). */
  cpuMs: number;
  /** Bytes the child wrote to stdout (all of them, kept or not). */
  stdoutBytes: number;
  ms: number;
};

export { readRssBytes };

/** A script of this directory (pdf-worker.mjs, runner.mjs): see sourceScriptPath. */
export function pdfScriptPath(name: string, moduleUrl: string = import.meta.url, cwd: string = process.cwd()): string {
  return sourceScriptPath(name, "platform/pdf", moduleUrl, cwd);
}

/** The job in this process (the fallback when the runner is gone; tests). */
export function runWatchedHere(command: string, args: string[], options: WatchOptions): Promise<WatchedResult> {
  return watchChild(command, args, options);
}

type Job = {
  command: string;
  args: string[];
  options: WatchOptions;
  resolve: (result: WatchedResult) => void;
  reject: (error: Error) => void;
  pid?: number;
};
type RunnerMessage = { id: number; pid?: number; result?: WatchedResult; error?: { message: string; code?: string } };

let runner: { child: ChildProcess; jobs: Map<number, Job> } | undefined;
let nextJobId = 0;

function startRunner(): NonNullable<typeof runner> {
  const child = spawn(process.execPath, [pdfScriptPath("runner.mjs")], { stdio: ["ignore", "ignore", "inherit", "ipc"], env: CHILD_ENV });
  const state = { child, jobs: new Map<number, Job>() };
  child.on("message", (message: RunnerMessage) => {
    const job = state.jobs.get(message.id);
    if (!job) return;
    if (message.result === undefined && message.error === undefined) {
      job.pid = message.pid;
      return;
    }
    state.jobs.delete(message.id);
    if (state.jobs.size === 0) idle(state);
    // JSON drops undefined: killedFor is back as a key.
    if (message.result) job.resolve({ ...message.result, killedFor: message.result.killedFor ?? undefined });
    else job.reject(Object.assign(new Error(message.error!.message), { code: message.error!.code }));
  });
  let gone = false;
  const onGone = () => {
    if (gone) return;
    gone = true;
    if (runner === state) runner = undefined;
    // Its children may outlive it: killed, and their jobs run from here.
    for (const job of state.jobs.values()) {
      if (job.pid !== undefined) {
        try {
          process.kill(job.pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      runWatchedHere(job.command, job.args, job.options).then(job.resolve, job.reject);
    }
    state.jobs.clear();
  };
  child.on("exit", onGone);
  child.on("error", onGone);
  idle(state);
  return state;
}

/** The runner keeps this process alive only while it has jobs. */
function idle(state: NonNullable<typeof runner>) {
  state.child.unref();
  (state.child.channel as { unref?: () => void } | undefined)?.unref?.();
}

function busy(state: NonNullable<typeof runner>) {
  state.child.ref();
  (state.child.channel as { ref?: () => void } | undefined)?.ref?.();
}

/** The runner's pid while it runs (tests, metrics). */
export function runnerPid(): number | undefined {
  return runner?.child.pid;
}

export function runWatched(command: string, args: string[], options: WatchOptions): Promise<WatchedResult> {
  runner ??= startRunner();
  const state = runner;
  return new Promise((resolve, reject) => {
    const id = nextJobId++;
    const job: Job = { command, args, options, resolve, reject };
    if (!state.child.connected) {
      runWatchedHere(command, args, options).then(resolve, reject);
      return;
    }
    state.jobs.set(id, job);
    busy(state);
    // The runner applies the job's own timeout; this only guards against a runner that hangs.
    const guard = setTimeout(() => {
      if (!state.jobs.delete(id)) return;
      if (state.jobs.size === 0) idle(state);
      if (job.pid !== undefined) {
        try {
          process.kill(job.pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
      reject(new Error("the PDF child runner did not answer"));
    }, wallTimeoutMs(options) + 10_000);
    guard.unref();
    const settle = { resolve: job.resolve, reject: job.reject };
    job.resolve = (result) => {
      clearTimeout(guard);
      settle.resolve(result);
    };
    job.reject = (error) => {
      clearTimeout(guard);
      settle.reject(error);
    };
    state.child.send({ id, command, args, options }, (error) => {
      if (!error || !state.jobs.has(id)) return;
      state.jobs.delete(id);
      runWatchedHere(command, args, options).then(resolve, reject);
    });
  });
}

export class BusyError extends Error {
  constructor() {
    super("too many PDF jobs waiting");
    this.name = "BusyError";
  }
}

export type Limiter = {
  /**
   * Runs `job` once `units` of the limiter's capacity are free (default 1; at most the
   * capacity), first come first served.
   */
  run<T>(job: () => Promise<T>, units?: number): Promise<T>;
  /** Jobs running and waiting, and those that failed (threw) since start, for tests and metrics. */
  stats(): { running: number; waiting: number; failed: number };
};

/**
 * At most `capacity` units in use at once (jobs of 1 unit: `capacity` jobs); more than
 * `maxWaiting` jobs waiting → BusyError. A job waits in line even when it would fit beside
 * the running ones, so that a large job is never starved by small ones.
 */
export function createLimiter(capacity: number, maxWaiting = 100): Limiter {
  let used = 0;
  let running = 0;
  let failed = 0;
  const waiting: Array<{ units: number; start: () => void }> = [];
  const startWaiting = () => {
    while (waiting.length && used + waiting[0]!.units <= capacity) {
      const next = waiting.shift()!;
      used += next.units;
      running++;
      next.start();
    }
  };
  return {
    async run(job, units = 1) {
      units = Math.min(Math.max(1, units), capacity);
      if (waiting.length || used + units > capacity) {
        if (waiting.length >= maxWaiting) throw new BusyError();
        await new Promise<void>((start) => waiting.push({ units, start }));
      } else {
        used += units;
        running++;
      }
      try {
        return await job();
      } catch (error) {
        failed++;
        throw error;
      } finally {
        used -= units;
        running--;
        startWaiting();
      }
    },
    stats: () => ({ running, waiting: waiting.length, failed }),
  };
}
