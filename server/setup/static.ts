import path from "node:path";
import compression from "compression";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import type { ViteDevServer } from "vite";
import { BROTLI_OPTIONS, GZIP_OPTIONS } from "./compression-levels";

/** A request for a file (a name with an extension): only these may be a file of build/client. */
const FILE_NAME = /\/[^/]+\.[A-Za-z0-9]+$/;

/**
 * Guarantees the built assets served as built, with their Brotli or gzip copy when the
 * browser takes one (scripts/precompress.mjs writes them at build: no compression per
 * request), immutable for a year; compressed answers from here on; the other public files
 * (an hour) looked up only for a file name, so a page never costs a disk lookup
 * (bench/README.md, "The deadline-day crowd"). Through Vite in dev.
 */
export function setUpStatic(app: express.Express, vite: ViteDevServer | undefined) {
  if (!vite) {
    const client = path.resolve("build/client");
    app.use(
      "/assets",
      expressStaticGzip(path.join(client, "assets"), {
        enableBrotli: true,
        orderPreference: ["br", "gz"],
        index: false,
        serveStatic: { immutable: true, maxAge: "1y", index: false },
      }),
    );
  }
  app.use(compression({ ...GZIP_OPTIONS, brotli: BROTLI_OPTIONS }));
  // Browsers ask for it whatever the page says; answer without waking the router.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  if (vite) {
    app.use(vite.middlewares);
    return;
  }
  const publicFiles = express.static(path.resolve("build/client"), { maxAge: "1h", index: false });
  app.use((req, res, next) => (FILE_NAME.test(req.path) ? publicFiles(req, res, next) : next()));
}
