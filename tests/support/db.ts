import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrateDatabase, openDatabase, type Database } from "~/db/client.server";

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default, or a
 * new database on the PostgreSQL server of TEST_DATABASE_URL when TEST_DB=postgres
 * (scripts/test.sh runs the suite both ways).
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (process.env.TEST_DB === "postgres") {
    const adminUrl = process.env.TEST_DATABASE_URL;
    if (!adminUrl) throw new Error("TEST_DB=postgres needs TEST_DATABASE_URL");
    const name = `cas_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 25 });
    await migrateDatabase(database);
    return {
      ...database,
      url: url.toString(),
      close: async () => {
        await database.close();
        const again = new pg.Client({ connectionString: adminUrl });
        await again.connect();
        await again.query(`drop database if exists ${name} with (force)`);
        await again.end();
      },
    };
  }
  const database = await openDatabase({});
  await migrateDatabase(database);
  return database;
}

export const onPostgres = () => process.env.TEST_DB === "postgres";

/**
 * A migration tested on a database from before it: an in-memory PGlite migrated with every
 * migration before the one whose tag ends in `tagSuffix` (as a deployment from before that
 * change has it); `migrateRest()` then applies it and the rest, `rowsOf` reads raw SQL.
 */
export async function databaseBefore(tagSuffix: string) {
  const { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const { MIGRATIONS_DIR, openDatabase } = await import("~/db/client.server");
  const dir = mkdtempSync(path.join(tmpdir(), "cas-mig-"));
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
  const esta = journal.entries.find((e) => e.tag.endsWith(tagSuffix))!;
  journal.entries = journal.entries.filter((e) => e.idx < esta.idx);
  const antes = new Set(journal.entries.map((e) => `${e.tag}.sql`));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true, filter: (f) => !f.endsWith(".sql") || antes.has(path.basename(f)) });
  writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
  const database = await openDatabase({});
  await migrate(database.db as never, { migrationsFolder: dir });
  return {
    database,
    rowsOf: async (query: import("drizzle-orm").SQL) => ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows,
    migrateRest: () => migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
