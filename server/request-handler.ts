import type { Readable } from "node:stream";
import { createReadableStreamFromReadable, writeReadableStreamToWritable } from "@react-router/node";
import type express from "express";
import { createRequestHandler as createReactRouterHandler, type AppLoadContext, type ServerBuild } from "react-router";

/**
 * Express → React Router, as @react-router/express 7.18 does it (its createRequestHandler,
 * MIT), with one change: the request's body is LAZY. The adapter there starts pumping the
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
}): express.RequestHandler {
  const handleRequest = createReactRouterHandler(options.build, options.mode);
  return async (req, res, next) => {
    try {
      const body = lazyBody(req);
      const request = createRequest(req, res, body.stream);
      const response = await handleRequest(request, options.getLoadContext(req, res, body));
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

export function lazyBody(req: express.Request): LazyBody & { stream: ReadableStream<Uint8Array> | undefined } {
  if (req.method === "GET" || req.method === "HEAD") return { stream: undefined, takeNode: () => undefined };
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let taken = false;
  const stream = new ReadableStream<Uint8Array>(
    {
      // Pulled only when read: the Node request is not touched before.
      async pull(controller) {
        if (taken) return controller.close();
        reader ??= createReadableStreamFromReadable(req).getReader();
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
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
    takeNode() {
      if (reader || taken) return undefined;
      taken = true;
      return req;
    },
  };
}

function createRequest(req: express.Request, res: express.Response, body: ReadableStream<Uint8Array> | undefined): Request {
  const [, forwardedPort] = req.app.enabled("trust proxy") ? (req.get("X-Forwarded-Host")?.split(":") ?? []) : [];
  const [, hostPort] = req.get("host")?.split(":") ?? [];
  const port = [forwardedPort, hostPort].map((p) => Number.parseInt(p ?? "", 10)).find((p) => Number.isSafeInteger(p));
  const hostname = req.hostname.split(/[\\/?#@]/)[0] || "localhost";
  const url = new URL(`${req.protocol}://${hostname}${port ? `:${port}` : ""}${req.originalUrl}`);

  const headers = new Headers();
  for (const [key, values] of Object.entries(req.headers)) {
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  // Aborted when the client goes away before the response is finished.
  let controller: AbortController | null = new AbortController();
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
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
    await writeReadableStreamToWritable(response.body, res);
  } catch (error) {
    if (!closed()) throw error;
  }
}
