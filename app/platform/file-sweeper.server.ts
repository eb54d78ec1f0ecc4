import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { getTableColumns, is } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import type { Db } from "~/db/client.server";
import * as schema from "~/db/schema";
import type { Logger } from "./logger.server";
import type { Storage } from "./storage.server";

/**
 * What a crash leaves behind, removed while the server runs (not only at start):
 * - temp files of uploads cut off mid-way (DATA_DIR/tmp), and the local storage's `.part`
 *   files of a write cut off mid-way (DATA_DIR/files), older than TEMP_FILE_AGE_MS;
 * - stored objects no row points to (the process died between storing a file and
 *   committing the row that names it), older than ORPHAN_AGE_MS.
 *
 * Never an object a row points to: the keys referenced are read from EVERY column whose
 * name ends in `_key` (storage keys are all named so; other `_key` columns only add
 * strings that match no object) and from the outbox's attachments, after the objects are
 * listed. An object is removed only when it is older than the bound, so one stored a
 * moment ago by this or another server, whose row is not committed yet, stays.
 *
 *   const sweeper = startFileSweeper({ db, storage, dataDir, logger });   // every 15 minutes
 *   sweeper.stop();
 */
export const SWEEP_INTERVAL_MS = 15 * 60 * 1000;
export const TEMP_FILE_AGE_MS = 60 * 60 * 1000;
/** Far above the seconds between storing and committing; a day, so a slow night never races a commit. */
export const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

/** Every storage key some row points to. */
export async function referencedKeys(db: Db): Promise<Set<string>> {
  const keys = new Set<string>();
  for (const table of Object.values(schema)) {
    if (!is(table, PgTable)) continue;
    for (const column of Object.values(getTableColumns(table))) {
      if (!column.name.endsWith("_key") || column.dataType !== "string") continue;
      const rows = await db.selectDistinct({ key: column }).from(table);
      for (const row of rows) if (typeof row.key === "string") keys.add(row.key);
    }
  }
  for (const row of await db.select({ attachments: schema.outbox.attachments }).from(schema.outbox)) {
    for (const a of row.attachments ?? []) keys.add(a.storageKey);
  }
  return keys;
}

/** Deletes the stored objects older than `olderThanMs` that no row points to; returns their keys. */
export async function sweepOrphanFiles(options: { db: Db; storage: Storage; olderThanMs?: number; now?: number }): Promise<string[]> {
  const now = options.now ?? Date.now();
  const bound = options.olderThanMs ?? ORPHAN_AGE_MS;
  const old: string[] = [];
  for await (const object of options.storage.list()) if (now - object.modifiedAt.getTime() > bound) old.push(object.key);
  if (old.length === 0) return [];
  // Read after listing: a row committed meanwhile for one of these objects is seen.
  const referenced = await referencedKeys(options.db);
  const orphans = old.filter((key) => !referenced.has(key));
  for (const key of orphans) await options.storage.delete(key);
  return orphans;
}

/**
 * Deletes temp files left in `tmpDir` by a process that died mid-upload (SIGKILL, power
 * loss): call at start. Only files older than `olderThanMs` (default 1 h), so another
 * server sharing DATA_DIR keeps its uploads in progress. Returns how many were deleted.
 */
export function sweepTempFiles(tmpDir: string, olderThanMs = 60 * 60 * 1000, now = Date.now()): Promise<number> {
  // sanitizado: an upload's sanitised copy; zip: a fichas ZIP being written by a job that died
  return removeStale(tmpDir, (name) => /\.(upload|s3-spool|pdf|sanitizado|zip)$/.test(name), olderThanMs, now, false);
}

/** Deletes `*.part` files older than `olderThanMs` under the local storage's root; returns how many. */
export function sweepPartFiles(root: string, olderThanMs: number, now = Date.now()): Promise<number> {
  return removeStale(root, (name) => name.endsWith(".part"), olderThanMs, now, true);
}

async function removeStale(dir: string, matches: (name: string) => boolean, olderThanMs: number, now: number, recursive: boolean): Promise<number> {
  let entries;
  try {
    entries = await readdir(dir, { recursive, withFileTypes: true });
  } catch {
    return 0;
  }
  let deleted = 0;
  for (const entry of entries) {
    if (!entry.isFile() || !matches(entry.name)) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    try {
      if (now - (await stat(file)).mtimeMs > olderThanMs) {
        await rm(file, { force: true });
        deleted++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return deleted;
}

export function startFileSweeper(options: {
  db: Db;
  storage: Storage;
  dataDir: string;
  logger: Logger;
  intervalMs?: number;
  tempAgeMs?: number;
  orphanAgeMs?: number;
}): { stop(): void; idle(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const sweep = async () => {
    try {
      const tempAge = options.tempAgeMs ?? TEMP_FILE_AGE_MS;
      let temp = await sweepTempFiles(path.join(options.dataDir, "tmp"), tempAge);
      if (options.storage.kind === "local") temp += await sweepPartFiles(path.join(options.dataDir, "files"), tempAge);
      const orphans = await sweepOrphanFiles({ db: options.db, storage: options.storage, olderThanMs: options.orphanAgeMs });
      if (temp > 0 || orphans.length > 0) options.logger.info({ tempFiles: temp, orphans: orphans.length }, "file sweeper removed leftovers");
    } catch (error) {
      // The next round tries again (a database restart, S3 unreachable for a moment).
      options.logger.warn({ err: (error as Error).message }, "file sweeper failed");
    }
  };
  const tick = () => {
    running = running.then(sweep);
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? SWEEP_INTERVAL_MS);
  timer.unref();
  return {
    stop: () => clearInterval(timer),
    idle: () => running,
  };
}
