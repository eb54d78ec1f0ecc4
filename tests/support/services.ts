import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Database } from "~/db/client.server";
import { fixedClock } from "~/platform/clock.server";
import { loadConfig } from "~/platform/config.server";
import { createLogger } from "~/platform/logger.server";
import { registerExportJobs } from "~/features/evaluacion/exportar-fichas.server";
import { createJobWorker } from "~/platform/jobs.server";
import { createMailTransport, createMailWorker } from "~/platform/mail.server";
import { createPasswordHasher } from "~/platform/passwords.server";
import type { Services } from "~/platform/services.server";
import { createStorageFromConfig } from "~/platform/storage.server";
import { createThrottle } from "~/platform/throttle.server";
import { createTestDatabase } from "./db";

export type TestServices = Services & { clock: ReturnType<typeof fixedClock>; close(): Promise<void> };

/** Real parts (database, hasher, throttle, outbox) with a settable clock and a temp DATA_DIR. */
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
  const database = options.database ?? (await createTestDatabase());
  const logger = createLogger(config.logLevel);
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, dataDir, logger });
  const storage = await createStorageFromConfig(config);
  const mailWorker = createMailWorker({
    db: database.db,
    transport,
    from: config.mailFrom,
    logger,
    pollMs: 50,
    loadAttachment: (key) => storage.getBuffer(key),
  });
  const jobs = createJobWorker({ db: database.db, storage, logger, pollMs: 50 });
  const services: TestServices = {
    config,
    database,
    db: database.db,
    logger,
    clock: fixedClock(options.now ?? new Date("2026-11-26T15:00:00Z")),
    hasher: createPasswordHasher(),
    throttle: createThrottle(database.db, config.sessionSecret),
    mailWorker,
    jobs,
    storage,
    close: async () => {
      await mailWorker.stop();
      await jobs.stop();
      transport.close();
      await database.close();
    },
  };
  registerExportJobs(services);
  return services;
}
