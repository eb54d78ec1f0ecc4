import type express from "express";
import {
  httpRequestDuration,
  mayScrape,
  observeDatabase,
  registry as metricsRegistry,
  routeLabel,
  signInFailures,
  throttledRequests,
} from "~/platform/metrics.server";
import type { Services } from "~/platform/services.server";

/**
 * Guarantees `/metrics` (Prometheus) to a scraper allowed by `mayScrape` (loopback, or the
 * token) and a plain 404 to anyone else.
 */
export function setUpMetrics(app: express.Express, services: Services) {
  observeDatabase(services.database);
  app.get("/metrics", async (req, res) => {
    const allowed = mayScrape(
      { remoteAddress: req.socket.remoteAddress, forwardedFor: req.get("x-forwarded-for"), authorization: req.get("authorization") },
      services.config.metricsToken,
    );
    if (!allowed) {
      res.status(404).type("text/plain").send("No encontrado.");
      return;
    }
    res.set("Cache-Control", "no-store").type(metricsRegistry.contentType).send(await metricsRegistry.metrics());
  });
}

const SIGN_IN_ROUTES: Record<string, string> = { "/login": "postulante", "/admin/login": "personal" };

/** One finished request in the metrics: its duration, a failed sign-in, a throttled request. */
export function observeRequest(req: express.Request, status: number, ms: number) {
  const route = routeLabel(req.path, status);
  httpRequestDuration.observe({ method: req.method, route, status }, ms / 1000);
  if (req.method === "POST" && status === 401 && SIGN_IN_ROUTES[req.path]) signInFailures.inc({ portal: SIGN_IN_ROUTES[req.path] });
  if (status === 429) throttledRequests.inc({ route });
}
