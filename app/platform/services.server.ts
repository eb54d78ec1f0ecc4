import type { Database, Db } from "~/db/client.server";
import type { Clock } from "./clock.server";
import type { Config } from "./config.server";
import type { JobWorker } from "./jobs.server";
import type { EntitySettingsSource } from "./entity-settings.server";
import type { Logger } from "./logger.server";
import type { MailWorker } from "./mail.server";
import type { PasswordHasher } from "./passwords.server";
import type { Storage } from "./storage.server";
import type { Throttle } from "./throttle.server";

/**
 * The ports every use case may need, built once at start (server/app.ts) and handed
 * to routes through the load context; tests build their own with other parts.
 */
export type Services = {
  config: Config;
  database: Database;
  db: Db;
  logger: Logger;
  clock: Clock;
  hasher: PasswordHasher;
  throttle: Throttle;
  mailWorker: MailWorker;
  /** Background jobs (the fichas ZIP); handlers registered by the composition root. */
  jobs: JobWorker;
  storage: Storage;
  /** The entity's name, logo and help desk (entity-settings.server.ts: kept a few seconds per process). */
  entidad: EntitySettingsSource;
};
