import { Transform, type Readable } from "node:stream";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@react-router/node";
import type express from "express";
import { createRequestHandler as createReactRouterHandler, type AppLoadContext, type ServerBuild } from "react-router";
import type { Logger } from "~/platform/logger.server";
import { checkIdParams, edgeBodyOf, sendEdgeRefusal, type EdgeBody } from "./edge";
import type { AnonymousContext, PublicPageCache } from "./public-page-cache";

/**
 * Express → React Router, as @react-router/express 7.18.4 does it (its createRequestHandler,
 * MIT; why a fork, what it saves and how to re-sync it: docs/decisions/007). The main change:
 * the request's body is LAZY. The adapter there starts pumping the
 * Node request into a web ReadableStream as soon as the Request is made, one 64 KiB chunk
 * at a time with a pause and a resume of the socket for each; a route that reads a large
 * body as it arrives (the uploads, upload.server.ts) takes the Node stream itself instead
 * (`takeNodeBody`), and the Request's body stays unread. In bench/uploads.mjs the web
 * stream cost the uploads' event loop ~8 % of the time it took to read the bodies.
 *
 *   const handler = createRequestHandler({ build, mode, getLoadContext: (req, res, body) => ({ …, takeNodeBody: body.takeNode }) });
 *
 * The Request's body and `takeNode()` exclude each other: whichever is used first has the
 * bytes; `takeNode()` returns undefined once the web body was read (or for GET and HEAD).
 * Tested in request-handler.test.ts; every upload test over HTTP goes through it.
 *
 * The edge (server/edge.ts) has already decided the body: a form arrives read and checked
 * (its bytes are the Request's body); a chunked upload is counted here, whichever way it is
 * read, and cut at its route's limit, and the router's answer is then replaced by the 413.
 * Also here, because they need the build's routes or the router's outcome: a path id that
 * is not a UUID is a 404 before the router runs, and a 500 caused by an unreachable
 * database (entry.server.tsx, handleError) is answered 503 with Retry-After.
 *
 * An anonymous GET of a route that declares itself public goes through the public page cache
 * (server/public-page-cache.ts), which renders it, when it must, through this same rendering
 * (with its placeholders): every request is rendered at most once.
 */
export type LazyBody = {
  /** The Node request, if nothing has read the Request's body yet; the Request's body then stays empty. */
  takeNode(): Readable | undefined;
};

export function createRequestHandler(options: {
  /** The build, or (dev, through Vite) a function loading it for each request. */
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode?: string;
  getLoadContext: (req: express.Request, res: express.Response, body: LazyBody) => AppLoadContext;
  logger: Logger;
  /** Answers the anonymous GETs of the routes that declare themselves public (server/public-page-cache.ts). */
  publicCache?: PublicPageCache;
}): express.RequestHandler {
  const handleRequest = createReactRouterHandler(options.build, options.mode);
  const { logger, publicCache } = options;

  /**
   * The router's answer to the request, not yet sent, or undefined when the edge answered
   * instead (413, 503). `anonymous`: the cache's rendering (placeholders, no cookie, not
   * aborted by this client going away: other visitors may be waiting for it). `publicPage`:
   * an anonymous public page rendered for this visitor alone (the cache off), still token-free.
   */
  async function render(
    req: express.Request,
    res: express.Response,
    anonymous?: AnonymousContext,
    { publicPage = false } = {},
  ): Promise<Response | undefined> {
    const body = lazyBody(req, edgeBodyOf(res));
    const request = createRequest(req, res, body.stream, { anonymous: Boolean(anonymous) });
    const context = options.getLoadContext(req, res, body);
    if (anonymous) Object.assign(context, anonymous);
    // A public page is the same for every anonymous visitor, also with the cache off: no CSRF token.
    else if (publicPage) context.csrfToken = "";
    const response = await handleRequest(request, context);
    if (body.exceeded()) {
      await response.body?.cancel();
      sendEdgeRefusal(req, res, { status: 413, cause: "chunked upload over the limit" }, logger);
      return undefined;
    }
    if (response.status >= 500 && context.databaseUnavailable) {
      await response.body?.cancel();
      sendEdgeRefusal(req, res, { status: 503, cause: "database unavailable" }, logger);
      return undefined;
    }
    return response;
  }

  return async (req, res, next) => {
    try {
      const build = typeof options.build === "function" ? await options.build() : options.build;
      const badId = checkIdParams(build.routes, req.path);
      if (badId) return sendEdgeRefusal(req, res, badId, logger);
      const response = publicCache?.covers(req, build.routes)
        ? await publicCache.answer(req, res, (anonymous) => render(req, res, anonymous))
        : await render(req, res, undefined, { publicPage: publicCache?.isPublicPage(req, build.routes) });
      if (response) await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** Thrown into the body's reader when a chunked body passes its limit. */
export class BodyTooLargeError extends Error {
  constructor() {
    super("request body over its limit");
    this.name = "BodyTooLargeError";
  }
}

export function lazyBody(
  req: express.Request,
  edge: EdgeBody = { kind: "none" },
): LazyBody & { stream: ReadableStream<Uint8Array> | undefined; exceeded(): boolean } {
  if (req.method === "GET" || req.method === "HEAD") return { stream: undefined, takeNode: () => undefined, exceeded: () => false };
  if (edge.kind === "form") {
    // Already read (and checked) by the edge: the router reads these bytes.
    const { bytes } = edge;
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        if (bytes.length) controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
        controller.close();
      },
    });
    return { stream, takeNode: () => undefined, exceeded: () => false };
  }
  const limit = edge.kind === "upload" && edge.counted ? edge.limit : Infinity;
  let seen = 0;
  let exceeded = false;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let taken = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      // Pulled only when read: the Node request is not touched before.
      async pull(controller) {
        if (taken) return controller.close();
        reader ??= createReadableStreamFromReadable(req).getReader();
        const { done, value } = await reader.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen > limit) {
          // Not cancelled: that would destroy the socket the 413 is to be sent on.
          exceeded = true;
          return controller.error(new BodyTooLargeError());
        }
        controller.enqueue(value);
      },
      async cancel(reason) {
        if (reader) await reader.cancel(reason);
        else if (!taken) req.destroy();
      },
    },
    { highWaterMark: 0 },
  );
  return {
    stream,
    exceeded: () => exceeded,
    takeNode() {
      if (reader || taken) return undefined;
      taken = true;
      if (limit === Infinity) return req;
      // A chunked upload: counted on its way. `pipe`, not `pipeline`: at the limit the
      // request must stay open (paused) for the 413.
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          seen += chunk.length;
          if (seen > limit) {
            exceeded = true;
            req.unpipe(counter);
            return callback(new BodyTooLargeError());
          }
          callback(null, chunk);
        },
      });
      req.on("error", (error) => counter.destroy(error));
      return req.pipe(counter);
    },
  };
}

/** Headers a shared (anonymous) rendering does without: it is answered per visitor by the cache. */
const NOT_SHARED = new Set(["cookie", "if-none-match", "if-modified-since"]);

function createRequest(
  req: express.Request,
  res: express.Response,
  body: ReadableStream<Uint8Array> | undefined,
  { anonymous }: { anonymous: boolean },
): Request {
  const [, forwardedPort] = req.app.enabled("trust proxy") ? (req.get("X-Forwarded-Host")?.split(":") ?? []) : [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find((p) => Number.isSafeInteger(p));
  const hostname = req.hostname.split(/[\\/?#@]/)[0] || "localhost";
  const url = new URL(`${req.protocol}://${hostname}${port ? `:${port}` : ""}${req.originalUrl}`);

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values || (anonymous && NOT_SHARED.has(key))) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers };
  if (!anonymous) {
    // Aborted when the client goes away before the response is finished.
    let controller: AbortController | null = new AbortController();
    res.on("finish", () => (controller = null));
    res.on("close", () => controller?.abort());
    init.signal = controller.signal;
  }
  if (body) {
    init.body = body;
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

async function sendResponse(res: express.Response, response: Response): Promise<void> {
  const closed = () => res.destroyed || res.writableEnded;
  if (closed()) {
    await response.body?.cancel();
    return;
  }
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) {
    res.end();
    return;
  }
  try {
    if (/^text\/html/i.test(response.headers.get("Content-Type") ?? "")) {
      // A page (rendered whole: no route defers its data) leaves in one write, so the
      // compression middleware compresses it in one call instead of once per chunk React
      // wrote, which cost more CPU than rendering a small page (bench/README.md, "The
      // deadline-day crowd"). Other answers (data, exports, files) stream as they come.
      const page = Buffer.from(await response.arrayBuffer());
      if (!closed()) res.end(page);
      return;
    }
    await writeReadableStreamToWritable(response.body, res);
  } catch (error) {
    if (!closed()) throw error;
  }
}
