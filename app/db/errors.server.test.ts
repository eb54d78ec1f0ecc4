import { request } from "node:http";
import { createServer, type AddressInfo, type Server } from "node:net";
import { DrizzleQueryError, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "./client.server";
import { isDatabaseUnavailable } from "./errors.server";

/** A TCP server that accepts and at once resets every connection: whoever talks to it sees ECONNRESET. */
let resetting: Server;
let port: number;
beforeAll(async () => {
  resetting = createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => resetting.listen(0, "127.0.0.1", resolve));
  port = (resetting.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => resetting.close(() => resolve())));

async function caught(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

describe("isDatabaseUnavailable", () => {
  it("is true for PostgreSQL reset mid-connect, through a query and through a held connection", async () => {
    const database = await openDatabase({ databaseUrl: `postgres://postgres@127.0.0.1:${port}/x`, poolSize: 1 });
    try {
      const viaQuery = await caught(() => database.db.execute(sql`select 1`));
      expect(isDatabaseUnavailable(viaQuery), String(viaQuery)).toBe(true);
      const viaConnection = await caught(() => database.withConnection((db) => db.execute(sql`select 1`)));
      expect(isDatabaseUnavailable(viaConnection), String(viaConnection)).toBe(true);
      const viaTransaction = await caught(() => database.db.transaction((tx) => tx.execute(sql`select 1`)));
      expect(isDatabaseUnavailable(viaTransaction), String(viaTransaction)).toBe(true);
    } finally {
      await database.close();
    }
  });

  it("is false for the same reset from another port (the object store, the antivirus, SMTP)", async () => {
    const error = await caught(
      () =>
        new Promise((resolve, reject) => {
          request({ host: "127.0.0.1", port, path: "/bucket/key", method: "PUT" }, resolve).on("error", reject).end("x");
        }),
    );
    expect((error as { code?: string }).code).toBe("ECONNRESET");
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(isDatabaseUnavailable(new Error("upload failed", { cause: error }))).toBe(false);
  });

  it("is true for PostgreSQL's own codes wherever they appear, false for a failed query", () => {
    expect(isDatabaseUnavailable(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('relation "x" does not exist'), { code: "42P01" }))).toBe(false);
    // A query on an open connection that the server reset: Drizzle wraps the socket's error.
    const reset = Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" });
    expect(isDatabaseUnavailable(new DrizzleQueryError("select 1", [], reset))).toBe(true);
  });
});
