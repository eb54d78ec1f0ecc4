import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase, migrationsApplied, openDatabase } from "~/db/client.server";
import { onPostgres } from "../support/db";
import { freePort } from "../support/http";
import { adminQuery, databaseUrl } from "../support/postgres-admin";

/**
 * Several app processes started at the same moment on one empty PostgreSQL database (a
 * cluster's first start, issue 16): the migrations run under an advisory lock, so every
 * process becomes ready. Before, the second one stopped on `CREATE TYPE … already exists`.
 * PostgreSQL only; the processes are the real start command (the built app when there is a
 * build, as `npm test` has; else through Vite).
 */
describe("app processes started together on an empty database", () => {
  const name = `cas_test_start_${randomBytes(4).toString("hex")}`;
  const children: ChildProcess[] = [];
  const dirs: string[] = [];

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    await Promise.all(children.map((c) => (c.exitCode === null && !c.signalCode ? new Promise((r) => c.once("exit", r)) : null)));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await adminQuery(`drop database if exists ${name} with (force)`);
  });


  async function readyz(port: number, child: ChildProcess): Promise<number> {
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app on port ${port} exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return 200;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 150_000) throw new Error(`app on port ${port} did not become ready`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it("four processes started at once all answer /readyz 200", async () => {
    if (!onPostgres()) throw new Error("start-together.pg.test.ts runs only with TEST_DB=postgres");
    await adminQuery(`create database ${name}`);

    const built = existsSync("build/server/index.js");
    const ports = await Promise.all([1, 2, 3, 4].map(() => freePort()));
    const stderr: string[] = [];
    for (const port of ports) {
      const dataDir = mkdtempSync(path.join(tmpdir(), "cas-start-"));
      dirs.push(dataDir);
      const child = spawn(process.execPath, ["server.js", built ? "--production" : "--dev"], {
        env: {
          PATH: process.env.PATH,
          DATABASE_URL: databaseUrl(name),
          DATA_DIR: dataDir,
          SESSION_SECRET: "s".repeat(40),
          TOTP_ENCRYPTION_KEY: "a".repeat(64),
          PORT: String(port),
          HOST: "127.0.0.1",
          LOG_LEVEL: "silent",
        },
        stdio: ["ignore", "ignore", "pipe"],
      });
      child.stderr!.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
      children.push(child);
    }
    const statuses = await Promise.all(ports.map((port, i) => readyz(port, children[i]!))).catch((error) => {
      throw new Error(`${(error as Error).message}\n${stderr.join("")}`);
    });
    expect(statuses).toEqual([200, 200, 200, 200]);
  }, 200_000);

  it("a process whose version is older than the database's schema is not ready", async () => {
    const database = await openDatabase({ databaseUrl: databaseUrl(name), poolSize: 2 });
    try {
      await migrateDatabase(database);
      expect(await migrationsApplied(database.db)).toBe(true);
      // A newer version applied one more migration during a rolling deploy.
      await database.db.execute(
        sql`insert into drizzle.__drizzle_migrations (hash, created_at) values ('from-a-newer-version', ${Date.now() + 1})`,
      );
      expect(await migrationsApplied(database.db)).toBe(false);
      await expect(migrateDatabase(database)).rejects.toThrow(/newer version/);
    } finally {
      await database.close();
    }
  });
});
