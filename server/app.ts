import http from "node:http";
import path from "node:path";
import express from "express";
import type { ViteDevServer } from "vite";
import { migrateDatabase, openDatabase, type Database } from "~/db/client.server";
import { bootstrapAdmin } from "~/features/accounts/bootstrap-admin.server";
import { seedDemoData } from "~/features/demo/seed-demo-data.server";
import { startAlertDigests } from "~/features/alertas/send-alertas.server";
import { registerRetencionJob, scheduleRetencion } from "~/features/postulacion/retencion-archivos.server";
import { registerExportJobs } from "~/features/evaluacion/exportar-fichas.server";
import { sealClearTotpSecrets } from "~/features/staff-mfa/totp-secret.server";
import { systemClock, type Clock } from "~/platform/clock.server";
import { loadConfig, type Config } from "~/platform/config.server";
import { backupInstance, restoreInstance } from "~/platform/backup.server";
import { startFileSweeper } from "~/platform/file-sweeper.server";
import { createEntitySettingsSource } from "~/platform/entity-settings.server";
import { createLogger } from "~/platform/logger.server";
import { createJobWorker } from "~/platform/jobs.server";
import { createMailTransport, createMailWorker } from "~/platform/mail.server";
import { createPasswordHasher } from "~/platform/passwords.server";
import type { Services } from "~/platform/services.server";
import { createStorageFromConfig } from "~/platform/storage.server";
import { createThrottle } from "~/platform/throttle.server";
import { edgeGuard } from "./edge";
import { setUpCrossSiteRefusal } from "./setup/cross-site";
import { setUpCsrfCookie } from "./setup/csrf-cookie";
import { setUpDraining } from "./setup/draining";
import { setUpErrorPage } from "./setup/error-page";
import { setUpHealth } from "./setup/health";
import { setUpMetrics } from "./setup/metrics";
import { setUpPages } from "./setup/pages";
import { setUpRequestId } from "./setup/request-id";
import { setUpSecurityHeaders } from "./setup/security-headers";
import { setUpStatic } from "./setup/static";
import { trackRequests } from "./shutdown";

/**
 * The application, assembled top to bottom; each step is one module of server/setup/ and
 * the order is part of what they guarantee (each relies on those before it).
 */
export function createApp(services: Services, options: { vite?: ViteDevServer; isDraining?: () => boolean } = {}) {
  const { config, logger } = services;
  const isDraining = options.isDraining ?? (() => false);
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);

  setUpRequestId(app, logger);
  setUpSecurityHeaders(app, config, { dev: Boolean(options.vite) });
  setUpDraining(app, isDraining);
  // Before anything reads a body or a value: bounds and checks (server/edge.ts).
  app.use(edgeGuard(logger));
  setUpHealth(app, services, isDraining);
  setUpMetrics(app, services);
  setUpStatic(app, options.vite);
  setUpCrossSiteRefusal(app, config, logger);
  setUpCsrfCookie(app, config, logger);
  setUpPages(app, services, options.vite);
  setUpErrorPage(app, logger);
  return app;
}

/**
 * How long a client may take (docs/architecture.md, "HTTP server"): a slow client ("slowloris")
 * cannot hold a connection open by sending its request a byte at a time.
 */
export const HTTP_TIMEOUTS = {
  /** All of a request's headers: a browser sends them in one packet. */
  headersTimeoutMs: 20_000,
  /**
   * The whole request, body included: the largest upload (bases, 20 MB) at ~1 Mbit/s takes
   * under 3 minutes; 5 minutes (Node's default, set here on purpose) leaves room for a worse link.
   */
  requestTimeoutMs: 5 * 60_000,
  /** An idle keep-alive connection: longer than a load balancer's 60 s, so it never sees a closed one. */
  keepAliveTimeoutMs: 65_000,
  /** How often Node checks the first two (its default is 30 s: a limit could be overrun by that much). */
  checkIntervalMs: 5_000,
};

/** The HTTP server of `app`, with the timeouts above (tests pass shorter ones). */
export function createHttpServer(app: express.Express, timeouts: typeof HTTP_TIMEOUTS = HTTP_TIMEOUTS): http.Server {
  const server = http.createServer(
    {
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  return server;
}

/**
 * The ports, as the start command opens them: the database of the config (migrated), TOTP
 * seeds still in clear sealed, the mail worker (not started), storage, hasher, throttle.
 * Tests (tests/support/services.ts) hand in what they own: `database`, one they opened and
 * migrated themselves (it is used as it is: not migrated again); `clock`, a fixed one; and
 * `pollMs`, a shorter poll of the outbox and the jobs. `close` stops the mail and job workers and closes the mail
 * transport and the database (tests; the start command closes in its own order at shutdown).
 */
export async function createServices(
  config: Config,
  overrides: { clock?: Clock; database?: Database; pollMs?: number } = {},
): Promise<Services & { close(): Promise<void> }> {
  const logger = createLogger(config.logLevel);
  let database = overrides.database;
  if (!database) {
    database = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
      poolSize: config.databasePoolSize,
      onIdleError: (error) => logger.warn({ err: error.message }, "idle database connection lost; the pool opens a new one"),
    });
    await migrateDatabase(database);
  }
  const db = database.db;
  // TOTP seeds stored in clear by an earlier version are sealed before anyone signs in.
  const sealed = await sealClearTotpSecrets(db, config.totpKey);
  if (sealed > 0) logger.info({ sealed }, "TOTP secrets stored in clear were encrypted");
  const transport = createMailTransport({ smtpUrl: config.smtpUrl, dataDir: config.dataDir, logger });
  const storage = await createStorageFromConfig(config);
  const mailWorker = createMailWorker({
    db,
    transport,
    from: config.mailFrom,
    logger,
    pollMs: overrides.pollMs,
    loadAttachment: (key) => storage.getBuffer(key),
  });
  const opened = database;
  const jobs = createJobWorker({ db, storage, logger, pollMs: overrides.pollMs });
  const services: Services & { close(): Promise<void> } = {
    config,
    database,
    db,
    logger,
    clock: overrides.clock ?? systemClock,
    hasher: createPasswordHasher(config.argon2Concurrency),
    throttle: createThrottle(db, config.sessionSecret),
    mailWorker,
    jobs,
    storage,
    entidad: createEntitySettingsSource({ db, defaultName: config.entityName }),
    close: async () => {
      await mailWorker.stop();
      await jobs.stop();
      transport.close();
      await opened.close();
    },
  };
  registerExportJobs(services);
  registerRetencionJob(services);
  return services;
}

/** The start command: config, database and migrations, first admin, demo data, mail worker, HTTP. */
export async function start(options: { vite?: ViteDevServer } = {}) {
  let config: Config;
  let services: Services;
  try {
    config = loadConfig();
    services = await createServices(config);
  } catch (error) {
    console.error(`CAS Online cannot start: ${(error as Error).message}`);
    process.exit(1);
  }
  const { logger } = services;
  await bootstrapAdmin(services);
  if (config.demoData) await seedDemoData(services);
  // Mis documentos' retention (Ley 29733): a daily job, queued once.
  await scheduleRetencion(services.db);

  // The drain is made once the server exists; /readyz asks it through this.
  let isDraining = () => false;
  const app = createApp(services, { ...options, isDraining: () => isDraining() });
  let sweeper: ReturnType<typeof startFileSweeper> | undefined;
  let digests: ReturnType<typeof startAlertDigests> | undefined;
  const server = createHttpServer(app);
  server.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    // startMs: since the process started (bench/README.md, "Start").
    logger.info(
      { port, database: services.database.kind, mail: config.smtpUrl ? "smtp" : "files", startMs: Math.round(performance.now()) },
      "listening",
    );
    // Neither is needed to answer: they run once the server listens.
    services.mailWorker.start();
    services.jobs.start();
    // A crash leaves temp files and stored files without a row: removed now and every 15 minutes.
    sweeper = startFileSweeper({ db: services.db, storage: services.storage, dataDir: config.dataDir, logger });
    // The alerts' daily e-mails: looked for every 10 minutes (docs/convocatorias.md, "Alertas").
    digests = startAlertDigests(services);
  });
  const drain = trackRequests(server, logger);
  isDraining = () => drain.draining;

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal, timeoutSeconds: config.shutdownTimeoutSeconds }, "shutting down");
    const { finished, cut } = await drain.drain(config.shutdownTimeoutSeconds * 1000);
    await services.mailWorker.stop();
    await services.jobs.stop();
    await digests?.stop();
    sweeper?.stop();
    await sweeper?.idle();
    await services.database.close();
    logger.info({ finished, cut }, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return server;
}

/**
 * `npm run backup -- DIR` and `npm run restore -- DIR` (docs/deploy.md): the instance the
 * environment configures, as `npm start` would open it. PGlite's lock refuses a backup while
 * the app runs on the same DATA_DIR (stop it first); PostgreSQL is dumped while it serves.
 */
export async function runBackupCommand(command: "backup" | "restore", dir: string | undefined) {
  if (!dir) {
    console.error(`usage: npm run ${command} -- DIR`);
    process.exit(2);
  }
  try {
    const config = loadConfig();
    if (command === "restore") {
      const { objects } = await restoreInstance({ config, dir: path.resolve(dir) });
      console.log(`restored the database and ${objects} objects from ${dir}; every SHA-256 checked`);
      return;
    }
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir, poolSize: 2 });
    try {
      const manifest = await backupInstance({
        database,
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        storage: await createStorageFromConfig(config),
        dir: path.resolve(dir),
      });
      console.log(`backed up the database (${manifest.database.kind}) and ${manifest.objects.length} objects to ${dir}`);
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(`CAS Online ${command} failed: ${(error as Error).message}`);
    process.exit(1);
  }
}

