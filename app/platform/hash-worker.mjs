/**
 * The worker thread of file-hash.server.ts: SHA-256 of files while they are written.
 * Messages, in order per file id:
 *   → { id, path, to }              bytes [0, to) of `path` are written: read what is new and hash it
 *   → { id, path, to, end: true }   the same, then ← { id, sha256 }, or ← { id, error } if a read failed
 *   → { id, abort: true }           forget the file
 * Reads go through one reusable 1 MiB buffer: the worker holds no file in memory.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";

/** id → { fd, hash, position }, or { error } once a read failed (kept for the digest). */
const files = new Map();
const buffer = Buffer.allocUnsafe(1024 * 1024);

function forget(id) {
  const file = files.get(id);
  files.delete(id);
  if (file?.fd !== undefined) closeSync(file.fd);
}

function hashUpTo(id, path, to) {
  let file = files.get(id);
  if (file?.error) return;
  try {
    if (!file) files.set(id, (file = { fd: openSync(path, "r"), hash: createHash("sha256"), position: 0 }));
    while (file.position < to) {
      const read = readSync(file.fd, buffer, 0, Math.min(buffer.length, to - file.position), file.position);
      if (read === 0) throw new Error(`${path} ends at ${file.position} bytes, before ${to}`);
      file.hash.update(buffer.subarray(0, read));
      file.position += read;
    }
  } catch (error) {
    forget(id);
    files.set(id, { error: String(error?.message ?? error) });
  }
}

parentPort.on("message", ({ id, path, to, end, abort }) => {
  if (abort) return forget(id);
  hashUpTo(id, path, to);
  if (!end) return;
  const file = files.get(id);
  forget(id);
  parentPort.postMessage(file.error ? { id, error: file.error } : { id, sha256: file.hash.digest("hex") });
});
