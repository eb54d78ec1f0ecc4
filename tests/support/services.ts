import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "~/db/client.server";
import { fixedClock } from "~/platform/clock.server";
import { loadConfig } from "~/platform/config.server";
import type { Services } from "~/platform/services.server";
import { createServices } from "../../server/app";
import { createTestDatabase } from "./db";

export type TestServices = Services & { clock: ReturnType<typeof fixedClock>; close(): Promise<void> };

/**
 * The services of the start command (createServices, server/app.ts) with what a test owns:
 * a fresh migrated database (tests/support/db.ts: PGlite, or PostgreSQL when TEST_DB=postgres)
 * or the one given, a settable clock, a temp DATA_DIR and a 50 ms poll of the outbox and the jobs.
 */
export async function createTestServices(
  options: { env?: Record<string, string>; database?: Database; now?: Date } = {},
): Promise<TestServices> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cas-test-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    SESSION_SECRET: "test-secret-test-secret-test-secret-0123",
    LOG_LEVEL: "silent",
    // Tests read what they just wrote; the public page cache has its own test.
    PUBLIC_CACHE_SECONDS: "0",
    ...options.env,
  });
  const clock = fixedClock(options.now ?? new Date("2026-11-26T15:00:00Z"));
  const database = options.database ?? (await createTestDatabase());
  const services = await createServices(config, { clock, database, pollMs: 50 });
  return { ...services, clock };
}
