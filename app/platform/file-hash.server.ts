import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * SHA-256 of a file WHILE it is written, off the event loop: a worker thread
 * (hash-worker.mjs) reads back each part the writer reports written (from the page cache)
 * and hashes it. The server's event loop no longer hashes every uploaded byte (it did ~0.3 s
 * of each 500 MB in bench/uploads.mjs, on the critical path of the uploads: see bench/README.md),
 * and the digest is that of the bytes as they are in the file.
 *
 *   const hash = hashWhileWriting(tmpPath);
 *   await handle.write(chunk); hash.written(bytesSoFar);   // after each completed write
 *   const sha256 = await hash.digest(totalBytes);           // once the last write is done
 *   hash.abort();                                           // on failure (idempotent)
 *
 * One worker for the process, started at first use, unref'd; if it dies, the digests it
 * owed reject (that upload fails with a server error) and the next upload starts another.
 */
export type FileHash = {
  written(bytes: number): void;
  digest(bytes: number): Promise<string>;
  abort(): void;
};

type Waiter = { resolve: (sha256: string) => void; reject: (error: Error) => void };
type WorkerState = {
  worker: Worker;
  /** Files being hashed: neither digested nor aborted. */
  open: Set<number>;
  waiters: Map<number, Waiter>;
  /** Read failures of open files that have not asked for their digest yet. */
  failures: Map<number, Error>;
};

let state: WorkerState | undefined;
let nextId = 0;

export function hashWhileWriting(file: string): FileHash {
  const id = nextId++;
  const current = (state ??= startWorker());
  current.open.add(id);
  let ended = false;
  return {
    written(bytes) {
      if (!ended) current.worker.postMessage({ id, path: file, to: bytes });
    },
    digest(bytes) {
      ended = true;
      current.open.delete(id);
      const failure = current.failures.get(id);
      current.failures.delete(id);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        if (state !== current) return reject(new Error("the hashing worker stopped"));
        current.waiters.set(id, { resolve, reject });
        current.worker.postMessage({ id, path: file, to: bytes, end: true });
      });
    },
    abort() {
      if (ended) return;
      ended = true;
      current.open.delete(id);
      current.failures.delete(id);
      if (state === current) current.worker.postMessage({ id, abort: true });
    },
  };
}

function startWorker(): WorkerState {
  const worker = new Worker(workerPath());
  const started: WorkerState = { worker, open: new Set(), waiters: new Map(), failures: new Map() };
  worker.unref();
  worker.on("message", (message: { id: number; sha256?: string; error?: string }) => {
    const waiter = started.waiters.get(message.id);
    started.waiters.delete(message.id);
    const error = message.error === undefined ? undefined : new Error(`hashing failed: ${message.error}`);
    if (!waiter) {
      // A read failed before the digest was asked for: kept for digest().
      if (error && started.open.has(message.id)) started.failures.set(message.id, error);
      return;
    }
    if (error) waiter.reject(error);
    else waiter.resolve(message.sha256!);
  });
  const stopped = (error: Error) => {
    if (state === started) state = undefined;
    for (const waiter of started.waiters.values()) waiter.reject(error);
    started.waiters.clear();
  };
  worker.on("error", stopped);
  worker.on("exit", (code) => stopped(new Error(`the hashing worker stopped (exit ${code})`)));
  return started;
}

/** Beside this module in the sources (tests, dev); under the working directory from the build (`npm start` runs from the project root). */
function workerPath(): string {
  const candidates = [
    path.join(path.dirname(fileURLToPath(import.meta.url)), "hash-worker.mjs"),
    path.join(process.cwd(), "app", "platform", "hash-worker.mjs"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`hash-worker.mjs not found (looked in ${candidates.join(", ")})`);
  return found;
}
