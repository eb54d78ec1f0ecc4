import { randomBytes, randomUUID } from "node:crypto";
import type express from "express";
import type { Logger } from "~/platform/logger.server";
import { observeRequest } from "./metrics";

/**
 * Guarantees that every later line has the request's id (`X-Request-Id`, the proxy's if it
 * sent one) and its CSP nonce, and that every request ends in one log line and the metrics.
 */
export function setUpRequestId(app: express.Express, logger: Logger) {
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
}
