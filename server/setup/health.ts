import type express from "express";
import { migrationsApplied } from "~/db/client.server";
import type { Services } from "~/platform/services.server";

/**
 * Guarantees `/healthz` (the process answers) and `/readyz` (200 only when the database
 * answers, every migration is applied and the process is not stopping), never cached.
 */
export function setUpHealth(app: express.Express, services: Services, isDraining: () => boolean) {
  app.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  app.get("/readyz", async (_req, res) => {
    res.set("Cache-Control", "no-store");
    if (isDraining()) {
      res.status(503).type("text/plain").send("stopping");
      return;
    }
    try {
      if (await migrationsApplied(services.db)) res.type("text/plain").send("ready");
      else res.status(503).type("text/plain").send("migrations pending");
    } catch (error) {
      services.logger.warn({ err: (error as Error).message }, "readyz: database unreachable");
      res.status(503).type("text/plain").send("database unreachable");
    }
  });
}
