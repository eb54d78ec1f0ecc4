import type express from "express";
import helmet from "helmet";
import type { Config } from "~/platform/config.server";

/**
 * Guarantees helmet's headers on every answer: a CSP that runs only React Router's own
 * scripts (by this response's nonce), no framing, HSTS when the cookies are secure.
 */
export function setUpSecurityHeaders(app: express.Express, config: Config, options: { dev: boolean }) {
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
          ...(options.dev ? { connectSrc: ["'self'", "ws:"] } : {}),
        },
      },
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      strictTransportSecurity: config.secureCookies,
      crossOriginEmbedderPolicy: false,
      xFrameOptions: { action: "deny" },
    }),
  );
}
