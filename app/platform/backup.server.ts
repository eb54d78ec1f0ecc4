import { execFile } from "node:child_process";
import { createWriteStream, existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { openDatabase, type Database } from "~/db/client.server";
import type { Config } from "./config.server";
import { sha256File, sha256Stream } from "./file-hash.server";
import { createStorageFromConfig, type Storage } from "./storage.server";

/**
 * Backup and restore of a whole instance (issue 16): the database (PostgreSQL: `pg_dump -Fc`;
 * PGlite: its data directory as a tar) and every stored object, with a manifest that gives
 * each object's SHA-256. A restore fills an EMPTY database and an EMPTY storage and checks
 * every object read back from the storage against the manifest. See docs/deploy.md.
 *
 * The database is dumped first, then the objects copied: a file is stored before the row
 * that lists it commits, so every object a dumped row points to is already there.
 */
export type BackupManifest = {
  format: "cas-online-backup/1";
  createdAt: string;
  database: { kind: "postgres" | "pglite"; file: string; sha256: string };
  objects: Array<{ key: string; size: number; sha256: string }>;
};

const run = promisify(execFile);
const MANIFEST = "manifest.json";
const OBJECTS = "objects";

/**
 * Secrets an embedded instance generates into DATA_DIR when the environment gives none
 * (config.server.ts): without them a restored PGlite instance could not read its TOTP secrets.
 * A deployment that sets SESSION_SECRET and TOTP_ENCRYPTION_KEY keeps them itself.
 */
const GENERATED_SECRETS = ["session-secret", "totp-key"];

export async function backupInstance(options: {
  database: Database;
  databaseUrl: string | undefined;
  storage: Storage;
  dir: string;
  /** PGlite: its DATA_DIR, for the secrets generated there. */
  dataDir?: string;
  now?: Date;
}): Promise<BackupManifest> {
  const { database, storage, dir } = options;
  await mkdir(dir, { recursive: true });
  if ((await readdir(dir)).length > 0) throw new Error(`the backup directory ${dir} is not empty`);

  let dbFile: string;
  if (database.kind === "postgres") {
    if (!options.databaseUrl) throw new Error("a PostgreSQL backup needs DATABASE_URL");
    dbFile = "database.dump";
    // -Fc: pg_restore's custom format, compressed, restorable table by table.
    await run("pg_dump", ["-Fc", "--no-owner", "--no-privileges", "-f", path.join(dir, dbFile), options.databaseUrl], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } else {
    dbFile = "pglite-datadir.tar.gz";
    const dump = await database.dumpDataDir!();
    await writeFile(path.join(dir, dbFile), Buffer.from(await dump.arrayBuffer()));
    for (const name of GENERATED_SECRETS) {
      const file = options.dataDir && path.join(options.dataDir, name);
      if (!file || !existsSync(file)) continue;
      await mkdir(path.join(dir, "secrets"), { recursive: true, mode: 0o700 });
      await writeFile(path.join(dir, "secrets", name), await readFile(file), { mode: 0o600 });
    }
  }

  const objects: BackupManifest["objects"] = [];
  for await (const { key } of storage.list()) {
    const target = path.join(dir, OBJECTS, ...key.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await pipeline(await storage.get(key), createWriteStream(target));
    objects.push({ key, ...(await sha256File(target)) });
  }
  objects.sort((a, b) => a.key.localeCompare(b.key));

  const manifest: BackupManifest = {
    format: "cas-online-backup/1",
    createdAt: (options.now ?? new Date()).toISOString(),
    database: { kind: database.kind, file: dbFile, sha256: (await sha256File(path.join(dir, dbFile))).sha256 },
    objects,
  };
  await writeFile(path.join(dir, MANIFEST), JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Every object of the backup's manifest is in `dir` with its SHA-256; throws naming the first that is not. */
export async function verifyBackup(dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(path.join(dir, MANIFEST), "utf8")) as BackupManifest;
  if (manifest.format !== "cas-online-backup/1") throw new Error(`${dir} is not a CAS Online backup`);
  const db = await sha256File(path.join(dir, manifest.database.file));
  if (db.sha256 !== manifest.database.sha256) throw new Error(`the database file ${manifest.database.file} does not match its SHA-256`);
  for (const object of manifest.objects) {
    const file = path.join(dir, OBJECTS, ...object.key.split("/"));
    if (!existsSync(file)) throw new Error(`the backup lacks the object ${object.key}`);
    if ((await sha256File(file)).sha256 !== object.sha256) throw new Error(`the object ${object.key} does not match its SHA-256`);
  }
  return manifest;
}

/**
 * Fills the database and the storage that `config` names — both must be empty — from a
 * backup, then reads every object back from the storage and compares its SHA-256.
 */
export async function restoreInstance(options: { config: Config; dir: string }): Promise<{ objects: number }> {
  const { config, dir } = options;
  const manifest = await verifyBackup(dir);
  const storage = await createStorageFromConfig(config);
  for await (const { key } of storage.list()) throw new Error(`the storage is not empty (it holds ${key}): restore into an empty one`);

  if (manifest.database.kind === "postgres") {
    if (!config.databaseUrl) throw new Error("this backup is of PostgreSQL: set DATABASE_URL to an empty database");
    const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 1 });
    try {
      const tables = await database.db.execute<{ n: number }>(
        sql`select count(*)::int as n from information_schema.tables where table_schema in ('public', 'drizzle')`,
      );
      const n = (tables as unknown as { rows: { n: number }[] }).rows[0]!.n;
      if (n > 0) throw new Error("the database is not empty: restore into an empty database");
    } finally {
      await database.close();
    }
    await run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "-d", config.databaseUrl, path.join(dir, manifest.database.file)], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } else {
    if (config.databaseUrl) throw new Error("this backup is of PGlite: unset DATABASE_URL and restore into an empty DATA_DIR");
    const pgdata = path.join(config.dataDir, "pgdata");
    if (existsSync(pgdata) && (await readdir(pgdata)).length > 0) throw new Error(`${pgdata} is not empty: restore into an empty DATA_DIR`);
    const tar = new Blob([await readFile(path.join(dir, manifest.database.file))]);
    const database = await openDatabase({ dataDir: config.dataDir, loadDataDir: tar });
    await database.close();
    // The backup's generated secrets replace those this start just generated (nothing uses them yet).
    for (const name of GENERATED_SECRETS) {
      const file = path.join(dir, "secrets", name);
      if (existsSync(file)) await writeFile(path.join(config.dataDir, name), await readFile(file), { mode: 0o600 });
    }
  }

  for (const object of manifest.objects) {
    await storage.putFile(object.key, path.join(dir, OBJECTS, ...object.key.split("/")));
    const stored = await sha256Stream(await storage.get(object.key));
    if (stored.sha256 !== object.sha256 || stored.size !== object.size) {
      throw new Error(`the object ${object.key} read back from the storage does not match the backup's SHA-256`);
    }
  }
  return { objects: manifest.objects.length };
}
