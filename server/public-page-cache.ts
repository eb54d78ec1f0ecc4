import { randomBytes } from "node:crypto";
import { brotliCompressSync, gzipSync } from "node:zlib";
import type express from "express";
import { LRUCache } from "lru-cache";
import type { ServerBuild } from "react-router";
import { matchesIfNoneMatch } from "~/web/http-cache.server";
import { BROTLI_OPTIONS, GZIP_OPTIONS } from "./setup/compression-levels";
import type { Services } from "~/platform/services.server";
import { matchRoute } from "./edge";

/**
 * The shared cache that `Cache-Control: public, max-age=5` allows, kept in the app process:
 * the public pages an anonymous visitor sees (Listado de Convocatorias, a convocatoria's
 * detail, the feeds) are rendered once per URL and served from memory for at most their
 * max-age (PUBLIC_CACHE_SECONDS, default 5; 0 turns it off). On the last day of a call the
 * list is what thousands open at once; rendering it once every few seconds instead of once
 * per visitor is what keeps it fast (bench/README.md, "Convocatorias list").
 *
 * Declared by the route: a route module that exports `handle = { publicCache: true }`
 * promises that its anonymous answer depends on no cookie and no conditional header. Such a
 * page carries no CSRF token for an anonymous visitor (it has no form that posts; the root
 * reloads its data, token included, on the next navigation: app/root.tsx) and sets no
 * cookie, so one rendering is the same bytes for every anonymous visitor, and a shared cache
 * in front (nginx `proxy_cache`, docs/deploy.md) may keep it too. Such an answer is kept
 * when it says so itself: 200, `Cache-Control: public` and an ETag. A route that does not
 * declare it is never kept, whatever its headers (the bases PDF is `public` too, for the
 * browser and a proxy).
 *
 * A kept rendering has a nonce of its own (the CSP header of each answer from it names that
 * nonce): the page is rendered with a placeholder, replaced once by a fresh random nonce. A
 * nonce only an injection that knew it beforehand could use: a page's content is fixed before
 * its nonce is drawn, and another URL is another rendering with another nonce. So the bytes of
 * a kept page are the same for everyone for max-age, and are compressed once per encoding the
 * browsers ask for (Brotli, gzip), not per answer (bench/README.md, "The deadline-day crowd").
 *
 * One rendering per request: the cache renders through the request handler's own rendering
 * (server/request-handler.ts), and an answer it does not keep (a 404, a redirect, an error)
 * is that visitor's answer, its placeholders replaced; visitors who waited for a rendering
 * that was not kept render for themselves.
 *
 * Never cached: signed-in visitors (a session cookie), anything but GET, a page's `.data`
 * (JavaScript's navigation), answers that are not 200 with `Cache-Control: public` and an
 * ETag. Freshness is by the services' clock (tests move it); a state change by the HR office
 * (any non-GET under /admin) empties the cache of this process, so an edit shows at once
 * here and within max-age on the other app servers.
 */
export type PublicPageCache = ReturnType<typeof createPublicPageCache>;

/** What a route module exports to have its anonymous answers kept (see above). */
export type PublicCacheHandle = { publicCache?: boolean };

/** The load context's values for a rendering that may be shared: a placeholder nonce, no visitor's cookie, no CSRF token. */
export type AnonymousContext = { nonce: string; csrfCookie: string; csrfToken: string };

/** Renders the request once with these context values; undefined when the edge has answered it instead. */
export type RenderAnonymous = (anonymous: AnonymousContext) => Promise<Response | undefined>;

const MAX_ENTRIES = 500;
/** Bound on the bodies kept (UTF-16 code units, about bytes for these pages). */
const MAX_BODY_CHARS = 32 * 1024 * 1024;

type Entry = {
  status: number;
  headers: [string, string][];
  body: string;
  /** The nonce of this rendering's scripts. */
  nonce: string;
  /** The body compressed, made when first asked for. */
  encoded: { br?: Buffer; gzip?: Buffer };
  etag: string;
  /** By the services' clock (tests move it) and by the wall clock (tests may also stop it). */
  expiresAt: number;
  expiresAtReal: number;
};

/** One request's part in a rendering: the rendering, when this request started it. */
type Job = { render: () => Promise<Entry | Response | undefined>; rendering?: Promise<Entry | Response | undefined> };

export function createPublicPageCache(options: { services: Services; maxAgeSeconds: number; sessionCookie: string }) {
  const { services, maxAgeSeconds } = options;
  // Alphanumeric, so that no HTML or JSON escaping can alter them inside the page.
  const NONCE_MARK = `nonce${randomBytes(12).toString("hex")}`;
  const ANONYMOUS: AnonymousContext = { nonce: NONCE_MARK, csrfCookie: "", csrfToken: "" };
  // lru-cache: bounded by entries and by size, least recently used out first; fetch()
  // coalesces concurrent misses of a URL into one rendering. Freshness is checked here
  // (two clocks, see isStale), not by its ttl.
  const entries = new LRUCache<string, Entry, Job>({
    max: MAX_ENTRIES,
    maxSize: MAX_BODY_CHARS,
    sizeCalculation: (entry) => entry.body.length + 1,
    // A rendering that is not kept (a 404, a redirect, a private answer), failed or was
    // answered by the edge stores nothing.
    fetchMethod: async (_key, _stale, { context }) => {
      context.rendering = context.render();
      const result = await context.rendering;
      return result instanceof Response ? undefined : result;
    },
  });

  /**
   * Whether the request is an anonymous GET of a page whose route declares it public: its
   * answer is the same for every anonymous visitor, CSRF token-free, cache or not.
   */
  function isPublicPage(req: express.Request, routes: ServerBuild["routes"]): boolean {
    if (req.method !== "GET" || req.path.endsWith(".data")) return false;
    if ((req.get("cookie") ?? "").includes(`${options.sessionCookie}=`)) return false;
    const handle = matchRoute(routes, req.path)?.route.module.handle as PublicCacheHandle | undefined;
    return handle?.publicCache === true;
  }

  /** Whether the request is the cache's to answer: a public page (above), with the cache on. */
  function covers(req: express.Request, routes: ServerBuild["routes"]): boolean {
    return maxAgeSeconds > 0 && isPublicPage(req, routes);
  }

  /** The rendering as an entry to keep, or the answer itself when it is not to be kept. */
  async function renderEntry(render: RenderAnonymous): Promise<Entry | Response | undefined> {
    const response = await render(ANONYMOUS);
    if (!response) return undefined;
    const cacheControl = response.headers.get("cache-control") ?? "";
    const etag = response.headers.get("etag");
    if (response.status !== 200 || !/(^|,)\s*public\b/.test(cacheControl) || !etag) return response;
    const nonce = randomBytes(16).toString("base64");
    const body = (await response.text()).replaceAll(NONCE_MARK, nonce);
    const maxAge = Math.min(maxAgeSeconds, Number(/max-age=(\d+)/.exec(cacheControl)?.[1] ?? maxAgeSeconds));
    return {
      status: response.status,
      headers: [...response.headers].filter(([name]) => !["content-length", "set-cookie"].includes(name)),
      body,
      nonce,
      encoded: {},
      etag,
      expiresAt: services.clock.now().getTime() + maxAge * 1000,
      expiresAtReal: Date.now() + maxAge * 1000,
    };
  }

  /** A page not kept, with this response's nonce in place of the placeholder. */
  function personalise(body: string, res: express.Response): string {
    return body.replaceAll(NONCE_MARK, res.locals.nonce as string);
  }

  function send(req: express.Request, res: express.Response, entry: Entry) {
    for (const [name, value] of entry.headers) res.setHeader(name, value);
    if (matchesIfNoneMatch(req.get("if-none-match"), entry.etag)) {
      // The browser keeps its copy, whose scripts carry that copy's nonce: a new CSP header
      // would replace the stored one and block them.
      res.removeHeader("Content-Security-Policy");
      res.status(304).end();
      return;
    }
    // The policy names the kept rendering's nonce instead of the one drawn for this response.
    const csp = res.getHeader("Content-Security-Policy");
    if (typeof csp === "string") res.setHeader("Content-Security-Policy", csp.replace(`'nonce-${res.locals.nonce}'`, `'nonce-${entry.nonce}'`));
    res.status(entry.status);
    const encoding = req.acceptsEncodings("br", "gzip");
    if (encoding !== "br" && encoding !== "gzip") {
      res.send(entry.body);
      return;
    }
    // Sent as encoded here; the compression middleware leaves an encoded answer alone (but for Vary).
    const bytes = (entry.encoded[encoding] ??=
      encoding === "br" ? brotliCompressSync(entry.body, BROTLI_OPTIONS) : gzipSync(entry.body, GZIP_OPTIONS));
    res.setHeader("Content-Encoding", encoding);
    res.send(bytes);
  }

  /** A rendering not kept, as this visitor's answer. */
  async function answerOf(response: Response, res: express.Response): Promise<Response> {
    if (!response.body) return response;
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    const body = personalise(await response.text(), res);
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  }

  /**
   * Answers a request the cache covers, rendering it (once) when no fresh entry is kept.
   * Returns the answer for the request handler to send, or undefined when it is sent.
   */
  async function answer(req: express.Request, res: express.Response, render: RenderAnonymous): Promise<Response | undefined> {
    const key = req.originalUrl;
    const now = services.clock.now().getTime();
    // A clock set back by more than max-age also makes an entry stale.
    const isStale = (e: Entry) => e.expiresAt <= now || e.expiresAt - now > maxAgeSeconds * 1000 || e.expiresAtReal <= Date.now();
    let entry = entries.get(key);
    if (!entry || isStale(entry)) {
      const job: Job = { render: () => renderEntry(render) };
      // Rejected when the rendering fails or is dropped by clear() (a change in the HR office).
      entry = await entries.fetch(key, { context: job, forceRefresh: true }).catch(() => undefined);
      // This request's own rendering is its answer, kept or not (and even when dropped by
      // clear(): it was rendered for this request); a waiter whose rendering was not kept
      // renders for itself.
      const result = await (job.rendering ?? (entry ? entry : job.render()));
      if (!result) return undefined;
      if (result instanceof Response) return answerOf(result, res);
      entry = result;
    }
    send(req, res, entry);
    return undefined;
  }

  /** Express middleware: a state change in the HR office empties the cache once it is answered. */
  function clearOnChange(req: express.Request, res: express.Response, next: express.NextFunction) {
    if (maxAgeSeconds > 0 && req.method !== "GET" && req.method !== "HEAD" && req.path.startsWith("/admin")) {
      res.on("finish", () => entries.clear());
    }
    next();
  }

  return { isPublicPage, covers, answer, clearOnChange, clear: () => entries.clear(), size: () => entries.size };
}
