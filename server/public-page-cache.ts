import { randomBytes } from "node:crypto";
import type express from "express";
import { LRUCache } from "lru-cache";
import { createRequestHandler as createFetchHandler, type ServerBuild } from "react-router";
import { etagOf, matchesIfNoneMatch } from "~/web/http-cache.server";
import { csrfTokenFor } from "~/web/csrf.server";
import type { Services } from "~/platform/services.server";
import type { RequestContext } from "~/web/context.server";

/**
 * The shared cache that `Cache-Control: public, max-age=5` allows, kept in the app process:
 * the public pages an anonymous visitor sees (Listado de Convocatorias, a convocatoria's
 * detail, the feeds) are rendered once per URL and served from memory for at most their
 * max-age (PUBLIC_CACHE_SECONDS, default 5; 0 turns it off). On the last day of a call the
 * list is what thousands open at once; rendering it once every few seconds instead of once
 * per visitor is what keeps it fast (bench/README.md, "Convocatorias list").
 *
 * Each visitor still gets their own page: it is rendered with placeholders for the two
 * per-response values, the CSP nonce and the CSRF token (an HMAC of the visitor's own
 * cookie), and each answer replaces them with that response's nonce (the one in its CSP
 * header) and that visitor's token. Its ETag is the rendering's ETag combined with the
 * visitor's CSRF cookie, so a 304 never confirms someone else's token.
 *
 * Never cached: signed-in visitors (a session cookie), anything but GET, answers that are
 * not 200 with `Cache-Control: public`. Freshness is by the services' clock (tests move it);
 * a state change by the HR office (any non-GET under /admin) empties the cache of this
 * process, so an edit shows at once here and within max-age on the other app servers.
 */
export type PublicPageCache = ReturnType<typeof createPublicPageCache>;

/** The pages that may be cached; everything else goes straight to the router. */
const CACHEABLE = /^\/convocatorias(?:\/[0-9a-f-]{36}|\/feed\.(?:atom|json))?\/?$/;
const MAX_ENTRIES = 500;
/** Bound on the bodies kept (UTF-16 code units, about bytes for these pages). */
const MAX_BODY_CHARS = 32 * 1024 * 1024;

type Entry = {
  status: number;
  headers: [string, string][];
  body: string;
  etag: string;
  /** The page carries the visitor's CSRF token (a feed does not). */
  personal: boolean;
  /** By the services' clock (tests move it) and by the wall clock (tests may also stop it). */
  expiresAt: number;
  expiresAtReal: number;
};

export function createPublicPageCache(options: {
  services: Services;
  build: () => Promise<ServerBuild>;
  mode: "production" | "development";
  maxAgeSeconds: number;
  sessionCookie: string;
  loadContext: (req: express.Request, res: express.Response) => RequestContext;
}) {
  const { services, maxAgeSeconds } = options;
  const render = createFetchHandler(options.build, options.mode);
  // Alphanumeric, so that no HTML or JSON escaping can alter them inside the page.
  const NONCE_MARK = `nonce${randomBytes(12).toString("hex")}`;
  const CSRF_MARK = `csrf${randomBytes(12).toString("hex")}`;
  // lru-cache: bounded by entries and by size, least recently used out first; fetch()
  // coalesces concurrent misses of a URL into one rendering. Freshness is checked here
  // (two clocks, see isStale), not by its ttl.
  const entries = new LRUCache<string, Entry, { req: express.Request; res: express.Response }>({
    max: MAX_ENTRIES,
    maxSize: MAX_BODY_CHARS,
    sizeCalculation: (entry) => entry.body.length + 1,
    // A rendering that is not cacheable (a 404, a redirect, a private answer) or failed
    // stores nothing: its waiters render for themselves.
    fetchMethod: async (_key, _stale, { context }) => {
      const result = await renderAnonymous(context.req, context.res);
      return result instanceof Response ? undefined : result;
    },
  });

  async function renderAnonymous(req: express.Request, res: express.Response): Promise<Entry | Response> {
    const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host")}`);
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      // Conditional headers are answered here, per visitor; cookies other than the CSRF one play no part.
      if (name === "if-none-match" || name === "if-modified-since" || name === "cookie" || value === undefined) continue;
      headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    const context = { ...options.loadContext(req, res), nonce: NONCE_MARK, csrfCookie: "", csrfToken: CSRF_MARK };
    const response = await render(new Request(url, { headers }), context);
    const cacheControl = response.headers.get("cache-control") ?? "";
    const etag = response.headers.get("etag");
    if (response.status !== 200 || !/(^|,)\s*public\b/.test(cacheControl) || !etag) return response;
    const body = await response.text();
    const maxAge = Math.min(maxAgeSeconds, Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? maxAgeSeconds));
    return {
      status: response.status,
      headers: [...response.headers].filter(([name]) => !["content-length", "etag", "set-cookie", "vary"].includes(name)),
      body,
      etag,
      personal: body.includes(CSRF_MARK),
      expiresAt: services.clock.now().getTime() + maxAge * 1000,
      expiresAtReal: Date.now() + maxAge * 1000,
    };
  }

  function send(req: express.Request, res: express.Response, entry: Entry) {
    const visitorCsrfCookie = res.locals.csrfCookie as string;
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    if (entry.personal) {
      res.setHeader("ETag", etagOf(entry.etag, visitorCsrfCookie));
      res.setHeader("Vary", "Cookie");
    } else {
      res.setHeader("ETag", entry.etag);
    }
    const etag = res.getHeader("ETag") as string;
    if (matchesIfNoneMatch(req.get("if-none-match"), etag)) {
      // The browser keeps its copy, whose scripts carry that copy's nonce: a new CSP header
      // would replace the stored one and block them.
      res.removeHeader("Content-Security-Policy");
      res.status(304).end();
      return;
    }
    const token = entry.personal ? csrfTokenFor(services.config.sessionSecret, visitorCsrfCookie) : "";
    res.status(entry.status).send(entry.body.replaceAll(NONCE_MARK, res.locals.nonce as string).replaceAll(CSRF_MARK, token));
  }

  /** Express middleware: answers cacheable anonymous GETs, passes the rest on. */
  async function middleware(req: express.Request, res: express.Response, next: express.NextFunction) {
    if (maxAgeSeconds <= 0) return next();
    if (req.method !== "GET" && req.method !== "HEAD") {
      if (req.path.startsWith("/admin")) res.on("finish", () => entries.clear());
      return next();
    }
    if (req.method !== "GET" || !CACHEABLE.test(req.path)) return next();
    const cookie = req.get("cookie") ?? "";
    if (cookie.includes(`${options.sessionCookie}=`)) return next();
    const key = req.originalUrl;
    const now = services.clock.now().getTime();
    // A clock set back by more than max-age also makes an entry stale.
    const isStale = (e: Entry) => e.expiresAt <= now || e.expiresAt - now > maxAgeSeconds * 1000 || e.expiresAtReal <= Date.now();
    let entry = entries.get(key);
    if (!entry || isStale(entry)) {
      // Rejected only when the rendering is dropped by clear() (a change in the HR office)
      // or fails: this visitor's page is then rendered by the router.
      entry = await entries.fetch(key, { context: { req, res }, forceRefresh: true }).catch(() => undefined);
      if (!entry) return next();
    }
    send(req, res, entry);
  }

  return { middleware, clear: () => entries.clear(), size: () => entries.size };
}
