import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";

/**
 * Runs a command as a child process WATCHED by this process: its resident memory is
 * read from /proc/<pid>/status (VmRSS) every `pollMs` and the child is SIGKILLed above
 * `maxRssBytes`, or when `timeoutMs` passes (PDF-FACTS.md: V8 heap limits and ulimit do
 * not bound a PDF parser; this does). Where /proc is missing only the timeout applies.
 *
 *   const r = await runWatched("qpdf", ["--check", f], { maxRssBytes: 512 << 20, timeoutMs: 15_000 });
 *   r.killedFor  // "memory" | "time" | undefined
 *
 * `createLimiter(2)` runs at most 2 such children at a time, the rest wait in a queue of
 * bounded length (a flood of uploads cannot fork-bomb the server).
 */
export type WatchOptions = {
  maxRssBytes: number;
  timeoutMs: number;
  pollMs?: number;
  /** stdout kept (the rest is dropped); default 64 KiB. */
  maxStdout?: number;
};

export type WatchedResult = {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  killedFor: "memory" | "time" | undefined;
  peakRssBytes: number;
  ms: number;
};

/** A small fixed PATH and nothing else: the child never sees the app's secrets. */
const CHILD_ENV = { PATH: "/usr/local/bin:/usr/bin:/bin" };

export async function readRssBytes(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "latin1");
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export function runWatched(command: string, args: string[], options: WatchOptions): Promise<WatchedResult> {
  const started = performance.now();
  const maxStdout = options.maxStdout ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: CHILD_ENV });
    let stdout = "";
    let stderr = "";
    let killedFor: WatchedResult["killedFor"];
    let peakRssBytes = 0;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (stdout.length < maxStdout) stdout += chunk.slice(0, maxStdout - stdout.length);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      if (stderr.length < 8192) stderr += chunk.slice(0, 8192 - stderr.length);
    });
    const kill = (reason: "memory" | "time") => {
      if (killedFor || child.exitCode !== null) return;
      killedFor = reason;
      child.kill("SIGKILL");
    };
    let polling = false;
    const poll = setInterval(() => {
      if (polling || child.pid === undefined) return;
      polling = true;
      void readRssBytes(child.pid).then((rss) => {
        polling = false;
        if (rss === undefined) return;
        peakRssBytes = Math.max(peakRssBytes, rss);
        if (rss > options.maxRssBytes) kill("memory");
      });
    }, options.pollMs ?? 25);
    const timer = setTimeout(() => kill("time"), options.timeoutMs);
    child.on("error", (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ exitCode, signal, stdout, stderr, killedFor, peakRssBytes, ms: performance.now() - started });
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
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running and waiting, for tests and metrics. */
  stats(): { running: number; waiting: number };
};

/** At most `concurrency` jobs at once; more than `maxWaiting` waiting → BusyError. */
export function createLimiter(concurrency: number, maxWaiting = 100): Limiter {
  let running = 0;
  const waiting: Array<() => void> = [];
  const release = () => {
    running--;
    const next = waiting.shift();
    if (next) {
      running++;
      next();
    }
  };
  return {
    async run(job) {
      if (running >= concurrency) {
        if (waiting.length >= maxWaiting) throw new BusyError();
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return await job();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length }),
  };
}
