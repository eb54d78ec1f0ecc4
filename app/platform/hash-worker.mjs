/**
 * The worker thread of file-hash.server.ts: SHA-256 of files while they are written.
 * Messages, in order per file id:
 *   → { id, path, to }              bytes [0, to) of `path` are written: read what is new and hash it
 *   → { id, path, to, end: true }   the same, then ← { id, sha256 }
 *   → { id, abort: true }           forget the file
 *   ← { id, error }                 the file could not be read (its later messages are ignored)
 * Reads go through one reusable 1 MiB buffer: the worker holds no file in memory.
 */
import { createHash } from "node:crypto";
import { closeSync, openSync, readSync } from "node:fs";
import { parentPort } from "node:worker_threads";

const files = new Map();
const failed = new Set();
const buffer = Buffer.allocUnsafe(1024 * 1024);

function forget(id) {
  const file = files.get(id);
  files.delete(id);
  if (file) closeSync(file.fd);
}

parentPort.on("message", (message) => {
  const { id } = message;
  if (message.abort) {
    failed.delete(id);
    forget(id);
    return;
  }
  if (failed.has(id)) {
    if (message.end) failed.delete(id);
    return;
  }
  try {
    let file = files.get(id);
    if (!file) {
      file = { fd: openSync(message.path, "r"), hash: createHash("sha256"), position: 0 };
      files.set(id, file);
    }
    while (file.position < message.to) {
      const read = readSync(file.fd, buffer, 0, Math.min(buffer.length, message.to - file.position), file.position);
      if (read === 0) throw new Error(`${message.path} ends at ${file.position} bytes, before ${message.to}`);
      file.hash.update(buffer.subarray(0, read));
      file.position += read;
    }
    if (message.end) {
      forget(id);
      parentPort.postMessage({ id, sha256: file.hash.digest("hex") });
    }
  } catch (error) {
    try {
      forget(id);
    } catch {
      // closing failed too: nothing left to do
    }
    if (!message.end) failed.add(id);
    parentPort.postMessage({ id, error: String(error?.message ?? error) });
  }
});
