// The "upstream" side of bench/request-handler.mjs (docs/decisions/007): copied over
// server/request-handler.ts in a built copy of the tree, so that the app runs with
// @react-router/express's own handler (7.18.4) in place of our fork, and nothing else
// changed. Measurement only: it has none of the fork's additions (404 for an id that is not
// a UUID, 413 for a chunked upload over its limit, 503 for an unreachable database, the
// public page cache), and a form the edge has read (urlencoded POST) never reaches the
// router in it; GETs and uploads (multipart, left unread by the edge) work as deployed.
import type { Readable } from "node:stream";
import { createRequestHandler as createUpstreamHandler } from "@react-router/express";
import type express from "express";
import type { AppLoadContext, ServerBuild } from "react-router";

export type LazyBody = { takeNode(): Readable | undefined };

/** Upstream pumps the body into the Request's web stream: the route reads that, never the Node request. */
const NO_NODE_BODY: LazyBody = { takeNode: () => undefined };

export function createRequestHandler(options: {
  build: ServerBuild | (() => Promise<ServerBuild>);
  mode?: string;
  getLoadContext: (req: express.Request, res: express.Response, body: LazyBody) => AppLoadContext;
  logger: unknown;
  publicCache?: unknown;
}): express.RequestHandler {
  return createUpstreamHandler({
    build: options.build,
    mode: options.mode,
    getLoadContext: (req, res) => options.getLoadContext(req, res, NO_NODE_BODY),
  }) as unknown as express.RequestHandler;
}
