import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { migrateDatabase, openDatabase, type Database } from "~/db/client.server";
import { adminQuery, databaseUrl } from "./postgres-admin";

/**
 * A fresh, migrated database for one test file, copied from the run's migrated template
 * (tests/support/global-setup.ts): in-memory PGlite by default, or a new database on the
 * PostgreSQL server of TEST_DATABASE_URL when TEST_DB=postgres (scripts/test.sh runs the
 * suite both ways). Migrating the copy again finds nothing to apply.
 */
export async function createTestDatabase(): Promise<Database & { url?: string }> {
  if (process.env.TEST_DB === "postgres") {
    const name = `cas_test_${randomBytes(6).toString("hex")}`;
    const template = inject("postgresTemplate");
    await adminQuery(`create database ${name}${template ? ` template ${template}` : ""}`);
    const url = databaseUrl(name);
    const database = await openDatabase({ databaseUrl: url, poolSize: 25 });
    await migrateDatabase(database);
    return {
      ...database,
      url,
      close: async () => {
        await database.close();
        await adminQuery(`drop database if exists ${name} with (force)`);
      },
    };
  }
  const template = inject("pgliteTemplate");
  const database = await openDatabase({ loadDataDir: template ? new Blob([readFileSync(template)]) : undefined });
  await migrateDatabase(database);
  return database;
}

export const onPostgres = () => process.env.TEST_DB === "postgres";
