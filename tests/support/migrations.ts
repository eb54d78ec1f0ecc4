import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import { migrate } from "drizzle-orm/pglite/migrator";
import { MIGRATIONS_DIR, openDatabase, type Database } from "~/db/client.server";

/**
 * A PGlite database migrated up to the migration whose tag ends with `tagSuffix` (not
 * included), as a deployment from before that change has it; `migrateAll` then applies the
 * rest, as the next start would.
 */
export async function databaseBefore(tagSuffix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "cas-mig-"));
  const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
  const esta = journal.entries.find((e) => e.tag.endsWith(tagSuffix));
  if (!esta) throw new Error(`no migration ends with ${tagSuffix}`);
  journal.entries = journal.entries.filter((e) => e.idx < esta.idx);
  const antes = new Set(journal.entries.map((e) => `${e.tag}.sql`));
  cpSync(MIGRATIONS_DIR, dir, { recursive: true, filter: (f) => !f.endsWith(".sql") || antes.has(path.basename(f)) });
  writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
  const database: Database = await openDatabase({});
  await migrate(database.db as never, { migrationsFolder: dir });
  return {
    database,
    rowsOf: async (query: SQL) => ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows,
    execute: (query: SQL) => database.db.execute(query),
    migrateAll: () => migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR }),
    close: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
