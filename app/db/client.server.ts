import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import path from "node:path";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import * as schema from "./schema";
import { markDatabaseError } from "./errors.server";

export type Schema = typeof schema;
/** One type for both drivers; a transaction is a Db too, so use cases take either. */
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type Database = {
  db: Db;
  kind: "pglite" | "postgres";
  /** Runs `work` on one connection of its own (PostgreSQL: a pooled client; PGlite has only one). */
  withConnection<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /** PGlite: its data directory as a tar (a backup, app/platform/backup.server.ts); PostgreSQL has pg_dump. */
  dumpDataDir?: () => Promise<Blob>;
  /** PostgreSQL: the pool's connections (metrics). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  close(): Promise<void>;
};

export const MIGRATIONS_DIR = path.resolve(process.env.CAS_MIGRATIONS_DIR ?? "app/db/migrations");

export class DataDirLockedError extends Error {}

/** PGlite's shared_buffers (see openDatabase). */
export const PGLITE_SHARED_BUFFERS = "32MB";

/**
 * PGlite does not lock its directory, and two processes writing one data directory
 * corrupt it. The lock file holds the owner's pid and, where /proc exists, its start time:
 * a lock whose process is gone is taken over — gone meaning no such pid, a zombie (killed
 * but not yet reaped by its parent), a process already exiting, or the pid now reused by
 * another process (its start time differs). A restart right after a SIGKILL meets all of
 * these.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const lockPath = path.join(dir, "cas-online.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, "wx");
      const own = processStat(process.pid);
      const started = typeof own === "object" ? own.startTime : undefined;
      writeSync(fd, started === undefined ? String(process.pid) : `${process.pid} ${started}`);
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const [pidText = "", startTime] = readFileSync(lockPath, "utf8").trim().split(/\s+/);
      const pid = Number(pidText);
      if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid, startTime)) {
        throw new DataDirLockedError(
          `DATA_DIR ${dir} is in use by another CAS Online process (pid ${pid}). ` +
            `Stop it, or set DATA_DIR to another directory, or set DATABASE_URL to use PostgreSQL.`,
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`Could not take the lock ${lockPath}`);
}

// PF_EXITING in /proc/<pid>/stat's flags: the process is being torn down and runs no more code.
const PF_EXITING = 0x4;

/** State, flags and start time (clock ticks since boot) from /proc/<pid>/stat; undefined without /proc. */
function processStat(pid: number): { state: string; flags: number; startTime: string } | undefined | "gone" {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT" && existsSync("/proc/self/stat")) return "gone";
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: split after its last ")".
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); flags is field 9, starttime field 22.
  return { state: fields[0] ?? "", flags: Number(fields[6]), startTime: fields[19] ?? "" };
}

function isAlive(pid: number, recordedStartTime: string | undefined): boolean {
  const stat = processStat(pid);
  if (stat === "gone") return false;
  if (stat) {
    if (stat.state === "Z" || stat.state === "X" || stat.state === "x") return false;
    if (stat.flags & PF_EXITING) return false;
    if (recordedStartTime !== undefined && stat.startTime !== recordedStartTime) return false;
    return true;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** PostgreSQL through a node-postgres pool when a URL is given; else PGlite (a directory, or memory). */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite: a data directory dumped by `dumpDataDir`, loaded into an empty `dataDir` (a restore) or into memory. */
  loadDataDir?: Blob;
  poolSize?: number;
  /**
   * An idle pooled connection that fails (PostgreSQL restarted, the backend terminated):
   * the pool drops it and opens another when needed. Without a listener node-postgres
   * would throw it as an uncaught error and stop the process.
   */
  onIdleError?: (error: Error) => void;
}): Promise<Database> {
  if (options.databaseUrl) {
    // The migrator too, in the same breath: loaded one after the other, each import waits
    // for its own file reads (bench/README.md, "Start").
    const [{ default: pg }, { drizzle }] = await Promise.all([
      import("pg"),
      import("drizzle-orm/node-postgres"),
      import("drizzle-orm/node-postgres/migrator"),
    ]);
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10 });
    pool.on("error", (error) => options.onIdleError?.(error));
    // A failed connect is marked as the database's, so its socket code (ECONNREFUSED…) is
    // told apart from another port's (errors.server.ts). pg-pool's own query() calls
    // connect with a callback, Drizzle's transactions without one: both are marked.
    const connect = pool.connect.bind(pool) as (callback?: (...args: unknown[]) => void) => unknown;
    pool.connect = ((callback?: (error: unknown, ...rest: unknown[]) => void) =>
      callback
        ? connect((error: unknown, ...rest: unknown[]) => callback(error ? markDatabaseError(error) : error, ...rest))
        : (connect() as Promise<import("pg").PoolClient>).catch((error: unknown) => Promise.reject(markDatabaseError(error)))) as typeof pool.connect;
    const db = drizzle(pool, { schema }) as unknown as Db;
    const withConnection = async <T>(work: (db: Db) => Promise<T>) => {
      const client = await pool.connect();
      try {
        return await work(drizzle(client, { schema }) as unknown as Db);
      } finally {
        client.release();
      }
    };
    const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
    return { db, kind: "postgres", withConnection, poolStats, close: () => pool.end() };
  }
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
    import("drizzle-orm/pglite/migrator"),
  ]);
  // PostgreSQL zeroes its whole shared memory at start, and in PGlite's WebAssembly that is
  // a memset of every page: with initdb's 128 MB of shared_buffers it was the largest single
  // cost of a start (bench/README.md, "Start"). 32 MB (PostgreSQL's default until 9.3) holds
  // this app's working set; pages beyond it are read from the OS's file cache.
  const startParams = [...PGlite.defaultStartParams, "-c", `shared_buffers=${PGLITE_SHARED_BUFFERS}`];
  let unlock = () => {};
  let client;
  if (options.dataDir) {
    unlock = lockDataDir(options.dataDir);
    client = new PGlite(path.join(options.dataDir, "pgdata"), { startParams, loadDataDir: options.loadDataDir });
  } else {
    client = new PGlite({ startParams, loadDataDir: options.loadDataDir });
  }
  await client.waitReady;
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    withConnection: (work) => work(db),
    dumpDataDir: () => client.dumpDataDir("gzip"),
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

/**
 * Any number of app processes may start together on one PostgreSQL database (a cluster's
 * first start, a rolling deploy that brings a migration): each takes this session-level
 * advisory lock before migrating, so one applies the migrations and the others, once they
 * hold the lock, find nothing left to apply. Without it the second process failed on
 * `CREATE TYPE … already exists` and stopped (issue 16). The key is arbitrary but fixed.
 */
export const MIGRATION_LOCK_KEY = 0x6361735f6d6967n; // "cas_mig"

export async function migrateDatabase(database: Database): Promise<void> {
  if (database.kind === "postgres") {
    const { migrate } = await import("drizzle-orm/node-postgres/migrator");
    await database.withConnection(async (db) => {
      await db.execute(sql`select pg_advisory_lock(${MIGRATION_LOCK_KEY.toString()}::bigint)`);
      try {
        await migrate(db as never, { migrationsFolder: MIGRATIONS_DIR });
      } finally {
        await db.execute(sql`select pg_advisory_unlock(${MIGRATION_LOCK_KEY.toString()}::bigint)`);
      }
    });
  } else {
    const { migrate } = await import("drizzle-orm/pglite/migrator");
    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
  }
  const state = await schemaState(database.db);
  if (state.applied > state.known) {
    throw new Error(
      `the database has ${state.applied} migrations applied and this version knows ${state.known}: ` +
        `it was migrated by a newer version of CAS Online; start that version instead`,
    );
  }
}

let known: number | undefined;
/** The migrations this version ships (read once: /readyz asks often). */
function knownMigrations(): number {
  if (known !== undefined) return known;
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
    entries: unknown[];
  };
  return (known = journal.entries.length);
}

async function schemaState(db: Db): Promise<{ applied: number; known: number }> {
  const rows = await db.execute<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
  const applied = (rows as unknown as { rows: { n: number }[] }).rows?.[0]?.n ?? 0;
  return { applied, known: knownMigrations() };
}

/**
 * For /readyz: the database answers and its schema is exactly the one this version was built
 * for — not older (migrations pending) and not newer (a newer version migrated it during a
 * rolling deploy: this process must stop taking traffic rather than serve an old schema).
 */
export async function migrationsApplied(db: Db): Promise<boolean> {
  const { applied, known } = await schemaState(db);
  return applied === known;
}
