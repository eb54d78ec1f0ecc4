import type express from "express";
import type { Config } from "~/platform/config.server";
import type { Logger } from "~/platform/logger.server";

/**
 * Guarantees that a cross-site POST (or any other unsafe method) is refused (403) before any
 * parsing: browsers send Sec-Fetch-Site / Origin on every POST; the CSRF token in each form
 * is the second line.
 */
export function setUpCrossSiteRefusal(app: express.Express, config: Config, logger: Logger) {
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
}

function sameOrigin(origin: string, baseUrl: string, req: express.Request): boolean {
  if (origin === new URL(baseUrl).origin) return true;
  // Behind no proxy, the Host header is the origin the browser used.
  return origin === `${req.protocol}://${req.get("host")}`;
}
