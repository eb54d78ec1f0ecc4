import { sql } from "drizzle-orm";
import pg from "pg";
import { expect, it, vi } from "vitest";
import { openDatabase } from "~/db/client.server";
import { createTestDatabase, onPostgres } from "../support/db";

/**
 * PostgreSQL restarted or a backend terminated by an administrator: the pool's idle
 * connections fail. The app must log it and go on with new connections — without a
 * listener, node-postgres throws the error as uncaught and the server stops.
 */
it("an idle connection terminated by the server is reported, not thrown, and the next query works", async () => {
  if (!onPostgres()) throw new Error("database-idle-error.pg.test.ts runs only with TEST_DB=postgres");
  const test = await createTestDatabase();
  const errors: Error[] = [];
  const database = await openDatabase({ databaseUrl: test.url!, poolSize: 2, onIdleError: (error) => errors.push(error) });
  try {
    await database.db.execute(sql`select 1`);
    const admin = new pg.Client({ connectionString: test.url! });
    await admin.connect();
    await admin.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'");
    await admin.end();
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0), { timeout: 10_000 });
    expect((errors[0] as Error & { code?: string }).code).toBe("57P01");
    const result = (await database.db.execute(sql`select 2 as two`)) as { rows: Array<{ two: number }> };
    expect(result.rows[0]).toMatchObject({ two: 2 });
  } finally {
    await database.close();
    await test.close();
  }
});
