import type { Readable } from "node:stream";
import type { Logger } from "~/platform/logger.server";
import type { Services } from "~/platform/services.server";

/** What a loader or action receives as `context`. */
export type RequestContext = {
  services: Services;
  requestId: string;
  /** CSP nonce for the scripts React Router renders. */
  nonce: string;
  /** Value of the CSRF cookie (set by the server when missing). */
  csrfCookie: string;
  /** The CSRF token to render, when not the one of csrfCookie (the public page cache's placeholder). */
  csrfToken?: string;
  ip: string;
  /**
   * The request's body as the Node stream, when nothing has read the Request's body yet
   * (server/request-handler.ts): cheaper for a large body read as it arrives. Undefined
   * outside the Express server (the public page cache, tests without it).
   */
  takeNodeBody?: () => Readable | undefined;
  logger: Logger;
  /**
   * Set by entry.server's handleError when an error of this request was the database being
   * unreachable: the server then answers 503 instead of the router's 500.
   */
  databaseUnavailable?: boolean;
};

declare module "react-router" {
  interface AppLoadContext extends RequestContext {}
}
