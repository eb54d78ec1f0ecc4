import type express from "express";
import { RESTARTING_MESSAGE } from "../shutdown";

/**
 * Guarantees that a stopping process (server/shutdown.ts) finishes what it has but starts
 * nothing new: the proxy retries a 503 on another app server (deploy/nginx.conf), and nothing
 * was done. The health checks still answer.
 */
export function setUpDraining(app: express.Express, isDraining: () => boolean) {
  app.use((req, res, next) => {
    if (!isDraining() || req.path === "/healthz" || req.path === "/readyz") return next();
    res.set({ Connection: "close", "Retry-After": "5", "Cache-Control": "no-store" });
    res.status(503).type("text/plain").send(RESTARTING_MESSAGE);
  });
}
