import type express from "express";
import type { Config } from "~/platform/config.server";
import { cookieName, readCookie, serializeCookie } from "~/web/cookies.server";
import { isIssuedCsrfCookie, newCsrfCookieValue } from "~/web/csrf.server";
import type { Logger } from "~/platform/logger.server";

/**
 * Guarantees `res.locals.csrfCookie`, a CSRF cookie value this server issued: a missing one
 * is set, any other value is replaced (and forms derived from it fail). Issued when first
 * read (a page with a form, an action checking its token): an anonymous public page carries
 * no token and sets no cookie, so a shared cache may keep it (server/public-page-cache.ts).
 */
export function setUpCsrfCookie(app: express.Express, config: Config, logger: Logger) {
  const csrfName = cookieName("csrf", config.secureCookies);
  app.use((req, res, next) => {
    let value: string | undefined;
    Object.defineProperty(res.locals, "csrfCookie", {
      configurable: true,
      enumerable: true,
      get() {
        if (value !== undefined) return value;
        value = readCookie(req.get("cookie"), csrfName);
        if (!isIssuedCsrfCookie(config.sessionSecret, value)) {
          if (value) logger.warn({ requestId: res.locals.requestId }, "CSRF cookie not issued by this server replaced");
          value = newCsrfCookieValue(config.sessionSecret);
          if (!res.headersSent) res.append("Set-Cookie", serializeCookie(csrfName, value, { secure: config.secureCookies }));
        }
        return value;
      },
    });
    next();
  });
}
