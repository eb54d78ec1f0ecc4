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
import { systemClock, type Clock } from "~/platform/clock.server";
import { loadConfig, type Config } from "~/platform/config.server";
import { cookieName, readCookie, serializeCookie } from "~/platform/cookies.server";
import { newCsrfCookieValue } from "~/platform/csrf.server";
import { createLogger } from "~/platform/logger.server";
import { createMailTransport, createMailWorker } from "~/platform/mail.server";
import { createPasswordHasher } from "~/platform/passwords.server";
import { sweepTempFiles } from "~/platform/upload.server";
import type { RequestContext, Services } from "~/platform/services.server";
import { createStorageFromConfig } from "~/platform/storage.server";
import { createThrottle } from "~/platform/throttle.server";
import { edgeGuard, sendEdgeRefusal } from "./edge";
import { createPublicPageCache } from "./public-page-cache";
import { createRequestHandler, type LazyBody } from "./request-handler";

/**
 * The application, assembled top to bottom: request id, security headers, the edge (bodies
 * bounded, values checked: server/edge.ts), health checks, static files, cross-site refusal,
 * CSRF cookie, then the React Router pages.
 */
export function createApp(services: Services, options: { vite?: ViteDevServer } = {}) {
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
      // Path only: query strings never reach the log.
      logger.info(
        {
          requestId: res.locals.requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        },
        "request",
      );
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

  // Before anything reads a body or a value: bounds and checks (server/edge.ts).
  app.use(edgeGuard(logger));

  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  app.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    try {
      if (await migrationsApplied(services.db)) res.type("text/plain").send("ready");
      else res.status(503).type("text/plain").send("migrations pending");
    } catch (error) {
      logger.warn({ err: (error as Error).message }, "readyz: database unreachable");
      res.status(503).type("text/plain").send("database unreachable");
    }
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
    if (!value || value.length > 64) {
      value = newCsrfCookieValue();
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

  const app = createApp(services, options);
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
    // Uploads cut off by a crash leave temp files behind: remove those older than an hour.
    void sweepTempFiles(path.join(config.dataDir, "tmp")).catch(() => 0);
  });

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, "shutting down");
    server.close();
    server.closeIdleConnections();
    await services.mailWorker.stop();
    await services.database.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  return server;
}
