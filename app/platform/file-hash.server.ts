import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { Worker } from "node:worker_threads";
import { sourceScriptPath } from "./script-path.server";

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
type WorkerState = { worker: Worker; waiters: Map<number, Waiter> };

let state: WorkerState | undefined;
let nextId = 0;

export function hashWhileWriting(file: string): FileHash {
  const id = nextId++;
  const current = (state ??= startWorker());
  let ended = false;
  return {
    written(bytes) {
      if (!ended) current.worker.postMessage({ id, path: file, to: bytes });
    },
    digest(bytes) {
      ended = true;
      return new Promise((resolve, reject) => {
        if (state !== current) return reject(new Error("the hashing worker stopped"));
        current.waiters.set(id, { resolve, reject });
        current.worker.postMessage({ id, path: file, to: bytes, end: true });
      });
    },
    abort() {
      if (ended) return;
      ended = true;
      if (state === current) current.worker.postMessage({ id, abort: true });
    },
  };
}

function startWorker(): WorkerState {
  const worker = new Worker(sourceScriptPath("hash-worker.mjs", "platform", import.meta.url));
  const started: WorkerState = { worker, waiters: new Map() };
  worker.unref();
  // The worker answers only a digest: a failed read is reported then.
  worker.on("message", (message: { id: number; sha256?: string; error?: string }) => {
    const waiter = started.waiters.get(message.id);
    started.waiters.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(`hashing failed: ${message.error}`));
    else waiter?.resolve(message.sha256!);
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

/** SHA-256 and size of a whole file, read as a stream (backups; an upload whose reader did not hash it). */
export async function sha256File(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}

/** SHA-256 and size of a stream (an object read back from storage). */
export async function sha256Stream(stream: AsyncIterable<unknown>): Promise<{ sha256: string; size: number }> {
  const hash = createHash("sha256");
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), size };
}
