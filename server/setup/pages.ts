import type express from "express";
import type { ServerBuild } from "react-router";
import type { ViteDevServer } from "vite";
import { cookieName } from "~/web/cookies.server";
import type { Services } from "~/platform/services.server";
import type { RequestContext } from "~/web/context.server";
import { createPublicPageCache } from "../public-page-cache";
import { createRequestHandler, type LazyBody } from "../request-handler";

/**
 * Guarantees that every request left is answered by React Router (server/request-handler.ts),
 * with the services and the request's id, nonce and CSRF cookie in its load context; the
 * anonymous public pages a route declares are kept by the public page cache
 * (server/public-page-cache.ts), which an HR office change empties.
 */
export function setUpPages(app: express.Express, services: Services, vite: ViteDevServer | undefined) {
  const { config, logger } = services;
  // The pages (the route modules and their libraries) load on the first request that needs
  // them, not at start: /readyz does not wait for them.
  let loaded: Promise<ServerBuild> | undefined;
  const build = vite
    ? () => vite.ssrLoadModule("virtual:react-router/server-build") as Promise<ServerBuild>
    : () => (loaded ??= import("virtual:react-router/server-build") as unknown as Promise<ServerBuild>);

  const mode = config.env === "production" ? "production" : "development";
  const getLoadContext = (req: express.Request, res: express.Response, body?: LazyBody): RequestContext => {
    let csrfCookie: string | undefined;
    return {
      services,
      requestId: res.locals.requestId,
      nonce: res.locals.nonce,
      // Read (and, when missing, issued: server/setup/csrf-cookie.ts) only by what needs it;
      // the public page cache's rendering sets it to none.
      get csrfCookie() {
        return csrfCookie ?? (res.locals.csrfCookie as string);
      },
      set csrfCookie(value: string) {
        csrfCookie = value;
      },
      ip: req.ip ?? "unknown",
      takeNodeBody: () => body?.takeNode(),
      // Made when first used: most requests log nothing below the configured level.
      get logger() {
        return (res.locals.logger ??= logger.child({ requestId: res.locals.requestId }));
      },
    };
  };
  const publicCache = createPublicPageCache({
    services,
    maxAgeSeconds: config.publicCacheSeconds,
    sessionCookie: cookieName("cas_session", config.secureCookies),
  });
  app.use(publicCache.clearOnChange);
  const handlerOptions = { mode, getLoadContext, logger, publicCache };
  if (vite) {
    app.all("/{*splat}", createRequestHandler({ build, ...handlerOptions }));
    return;
  }
  // Given a function, React Router derives its route tables again on every request; the
  // production build never changes, so the handler is made once, with the loaded build.
  let handler: Promise<express.RequestHandler> | undefined;
  app.all("/{*splat}", (req, res, next) => {
    handler ??= build().then((loadedBuild) => createRequestHandler({ build: loadedBuild, ...handlerOptions }));
    handler.then((handle) => handle(req, res, next), next);
  });
}
