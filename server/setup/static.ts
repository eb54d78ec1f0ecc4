import path from "node:path";
import compression from "compression";
import express from "express";
import type { ViteDevServer } from "vite";

/**
 * Guarantees compressed answers from here on, and the built assets (immutable, a year) and
 * other public files (an hour) served without waking the router; through Vite in dev.
 */
export function setUpStatic(app: express.Express, vite: ViteDevServer | undefined) {
  app.use(compression());
  // Browsers ask for it whatever the page says; answer without waking the router.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  if (vite) {
    app.use(vite.middlewares);
    return;
  }
  const client = path.resolve("build/client");
  app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(client, { maxAge: "1h", index: false }));
}
