import { randomBytes, randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import type { ServerBuild } from "react-router";
import type { ViteDevServer } from "vite";
import { migrateDatabase, migrationsApplied, openDatabase } from "~/db/client.server";
import { isDatabaseUnavailable } from "~/db/errors.server";
import { bootstrapAdmin } from "~/features/accounts/bootstrap-admin.server";
import { seedDemoData } from "~/features/demo/seed-demo-data.server";
import { sealClearTotpSecrets } from "~/features/staff-mfa/totp-secret.server";
import { systemClock, type Clock } from "~/platform/clock.server";
import { loadConfig, type Config } from "~/platform/config.server";
import { cookieName, readCookie, serializeCookie } from "~/web/cookies.server";
import { backupInstance, restoreInstance } from "~/platform/backup.server";
import { isIssuedCsrfCookie, newCsrfCookieValue } from "~/web/csrf.server";
import { startFileSweeper } from "~/platform/file-sweeper.server";
import { createLogger } from "~/platform/logger.server";
import {
  httpRequestDuration,
  mayScrape,
  observeDatabase,
  registry as metricsRegistry,
  routeLabel,
  signInFailures,
  throttledRequests,
} from "~/platform/metrics.server";
import { createMailTransport, createMailWorker } from "~/platform/mail.server";
import { createPasswordHasher } from "~/platform/passwords.server";
import type { Services } from "~/platform/services.server";
import type { RequestContext } from "~/web/context.server";
import { createStorageFromConfig } from "~/platform/storage.server";
import { createThrottle } from "~/platform/throttle.server";
import { edgeGuard, sendEdgeRefusal } from "./edge";
import { createPublicPageCache } from "./public-page-cache";
import { createRequestHandler, type LazyBody } from "./request-handler";
import { RESTARTING_MESSAGE, trackRequests } from "./shutdown";

/**
 * The application, assembled top to bottom: request id, security headers, the edge (bodies
 * bounded, values checked: server/edge.ts), health checks, static files, cross-site refusal,
 * CSRF cookie, then the React Router pages.
 */
export function createApp(services: Services, options: { vite?: ViteDevServer; isDraining?: () => boolean } = {}) {
  const { config, logger } = services;
  const app = express();
  app.disable("x-powered-by");
  if (config.trustProxy) app.set("trust proxy", true);

  // Request id and CSP nonce, first, so every later line can use them.
  app.use((req, res, next) => {
    res.locals.requestId = (req.get("x-request-id") ?? "").slice(0, 64) || randomUUID();
    res.locals.nonce = randomBytes(16).toString("base64");
    res.set("X-Request-Id", res.locals.requestId);
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const ms = Number((process.hrtime.bigint() - started) / 1000n) / 1000;
      // Path only: query strings never reach the log.
      logger.info({ requestId: res.locals.requestId, method: req.method, path: req.path, status: res.statusCode, ms }, "request");
      observeRequest(req, res.statusCode, ms);
    });
    next();
  });

  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          // No 'unsafe-inline': only React Router's own bootstrap script, by nonce.
          scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.nonce}'`],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", "data:"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          upgradeInsecureRequests: config.secureCookies ? [] : null,
          ...(options.vite ? { connectSrc: ["'self'", "ws:"] } : {}),
        },
      },
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      strictTransportSecurity: config.secureCookies,
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );

  // A stopping process (server/shutdown.ts) finishes what it has but starts nothing new: the
  // proxy retries a 503 on another app server (deploy/nginx.conf), and nothing was done.
  app.use((req, res, next) => {
    if (!options.isDraining?.() || req.path === "/healthz" || req.path === "/readyz") return next();
    res.set({ Connection: "close", "Retry-After": "5", "Cache-Control": "no-store" });
    res.status(503).type("text/plain").send(RESTARTING_MESSAGE);
  });

  // Before anything reads a body or a value: bounds and checks (server/edge.ts).
  app.use(edgeGuard(logger));

  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  app.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    if (options.isDraining?.()) {
      res.status(503).type("text/plain").send("stopping");
      return;
    }
    try {
      if (await migrationsApplied(services.db)) res.type("text/plain").send("ready");
      else res.status(503).type("text/plain").send("migrations pending");
    } catch (error) {
      logger.warn({ err: (error as Error).message }, "readyz: database unreachable");
      res.status(503).type("text/plain").send("database unreachable");
    }
  });

  observeDatabase(services.database);
  app.get("/metrics", async (req, res) => {
    const allowed = mayScrape(
      { remoteAddress: req.socket.remoteAddress, forwardedFor: req.get("x-forwarded-for"), authorization: req.get("authorization") },
      config.metricsToken,
    );
    if (!allowed) {
      res.status(404).type("text/plain").send("No encontrado.");
      return;
    }
    res.set("Cache-Control", "no-store").type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });

  app.use(compression());
  // Browsers ask for it whatever the page says; answer without waking the router.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  if (options.vite) {
    app.use(options.vite.middlewares);
  } else {
    const client = path.resolve("build/client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
    app.use(express.static(client, { maxAge: "1h", index: false }));
  }

  // Browsers send Sec-Fetch-Site / Origin on every POST: a cross-site one is refused
  // outright, before any parsing (the CSRF token in each form is the second line).
  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
    const site = req.get("sec-fetch-site");
    const origin = req.get("origin");
    if (site === "cross-site" || (origin && origin !== "null" && !sameOrigin(origin, config.baseUrl, req))) {
      logger.warn({ requestId: res.locals.requestId, origin }, "cross-site request refused");
      res.status(403).type("text/plain").send("Solicitud no permitida.");
      return;
    }
    next();
  });

  const csrfName = cookieName("csrf", config.secureCookies);
  app.use((req, res, next) => {
    let value = readCookie(req.get("cookie"), csrfName);
    if (!isIssuedCsrfCookie(config.sessionSecret, value)) {
      // Only a value this server issued counts: any other is replaced (forms derived from it fail).
      if (value) logger.warn({ requestId: res.locals.requestId }, "CSRF cookie not issued by this server replaced");
      value = newCsrfCookieValue(config.sessionSecret);
      res.append("Set-Cookie", serializeCookie(csrfName, value, { secure: config.secureCookies }));
    }
    res.locals.csrfCookie = value;
    next();
  });

  // The pages (the route modules and their libraries) load on the first request that needs
  // them, not at start: /readyz does not wait for them.
  let loaded: Promise<ServerBuild> | undefined;
  const build = options.vite
    ? () => options.vite!.ssrLoadModule("virtual:react-router/server-build") as Promise<ServerBuild>
    : () => (loaded ??= import("virtual:react-router/server-build") as unknown as Promise<ServerBuild>);

  const mode = config.env === "production" ? "production" : "development";
  const getLoadContext = (req: express.Request, res: express.Response, body?: LazyBody): RequestContext => ({
    services,
    requestId: res.locals.requestId,
    nonce: res.locals.nonce,
    csrfCookie: res.locals.csrfCookie,
    ip: req.ip ?? "unknown",
    takeNodeBody: () => body?.takeNode(),
    // Made when first used: most requests log nothing below the configured level.
    get logger() {
      return (res.locals.logger ??= logger.child({ requestId: res.locals.requestId }));
    },
  });
  const publicCache = createPublicPageCache({
    services,
    build,
    mode,
    maxAgeSeconds: config.publicCacheSeconds,
    sessionCookie: cookieName("cas_session", config.secureCookies),
    loadContext: getLoadContext,
  });
  app.use(publicCache.middleware);
  if (options.vite) {
    app.all("/{*splat}", createRequestHandler({ build, mode, getLoadContext, logger }));
  } else {
    // Given a function, React Router derives its route tables again on every request; the
    // production build never changes, so the handler is made once, with the loaded build.
    let handler: Promise<express.RequestHandler> | undefined;
    app.all("/{*splat}", (req, res, next) => {
      handler ??= build().then((loadedBuild) => createRequestHandler({ build: loadedBuild, mode, getLoadContext, logger }));
      handler.then((handle) => handle(req, res, next), next);
    });
  }
  // What escaped the pages (the public page cache's rendering, a failed build load): logged
  // through the `err` serializer (no SQL), answered in Spanish; 503 when the database is out of reach.
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isDatabaseUnavailable(error)) return sendEdgeRefusal(req, res, { status: 503, cause: "database unavailable" }, logger);
    logger.error({ requestId: res.locals.requestId, err: error }, "unhandled error");
    sendEdgeRefusal(req, res, { status: 500, cause: "unhandled error" }, logger);
  });
  return app;
}

const SIGN_IN_ROUTES: Record<string, string> = { "/login": "postulante", "/admin/login": "personal" };

function observeRequest(req: express.Request, status: number, ms: number) {
  const route = routeLabel(req.path, status);
  httpRequestDuration.observe({ method: req.method, route, status }, ms / 1000);
  if (req.method === "POST" && status === 401 && SIGN_IN_ROUTES[req.path]) signInFailures.inc({ portal: SIGN_IN_ROUTES[req.path] });
  if (status === 429) throttledRequests.inc({ route });
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

function sameOrigin(origin: string, baseUrl: string, req: express.Request): boolean {
  if (origin === new URL(baseUrl).origin) return true;
  // Behind no proxy, the Host header is the origin the browser used.
  return origin === `${req.protocol}://${req.get("host")}`;
}

export async function createServices(config: Config, overrides: { clock?: Clock } = {}): Promise<Services> {
  const logger = createLogger(config.logLevel);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    poolSize: config.databasePoolSize,
    onIdleError: (error) => logger.warn({ err: error.message }, "idle database connection lost; the pool opens a new one"),
  });
  await migrateDatabase(database);
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
    loadAttachment: (key) => storage.getBuffer(key),
  });
  return {
    config,
    database,
    db,
    logger,
    clock: overrides.clock ?? systemClock,
    hasher: createPasswordHasher(config.argon2Concurrency),
    throttle: createThrottle(db, config.sessionSecret),
    mailWorker,
    storage,
  };
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

  // The drain is made once the server exists; /readyz asks it through this.
  let isDraining = () => false;
  const app = createApp(services, { ...options, isDraining: () => isDraining() });
  let sweeper: ReturnType<typeof startFileSweeper> | undefined;
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
    // A crash leaves temp files and stored files without a row: removed now and every 15 minutes.
    sweeper = startFileSweeper({ db: services.db, storage: services.storage, dataDir: config.dataDir, logger });
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

