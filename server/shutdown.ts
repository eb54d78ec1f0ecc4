import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Logger } from "pino";

/**
 * A graceful stop (issue 16): on SIGTERM the process answers /readyz 503 at once (so a proxy
 * or orchestrator that probes it stops routing to it), answers any new request 503 with
 * Retry-After before reading it (server/app.ts; nothing is done, so the proxy may retry it on
 * another app server), lets the requests in flight finish — an upload included — and only
 * then stops listening and closes its pools. A request still running at the deadline is
 * answered 503 with Retry-After and its connection cut: its body stops, so an upload's reader
 * drops its temp file, and a use case's transaction either committed before or never does;
 * nothing is half-stored.
 */
export const RESTARTING_MESSAGE =
  "El servicio se está reiniciando. Vuelva a intentarlo en unos segundos; no se guardó nada de este envío.";

export type Drain = {
  /** True from the moment a stop begins: /readyz answers 503. */
  readonly draining: boolean;
  /** Stops taking connections and waits for the requests in flight, at most `timeoutMs`. */
  drain(timeoutMs: number): Promise<{ finished: number; cut: number }>;
};

export function trackRequests(server: Server, logger: Logger): Drain {
  const inFlight = new Map<ServerResponse, IncomingMessage>();
  let draining = false;
  let idle: (() => void) | undefined;
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(res, req);
    // A keep-alive connection still open while draining carries no further request.
    if (draining && !res.headersSent) res.setHeader("Connection", "close");
    res.on("close", () => {
      inFlight.delete(res);
      if (inFlight.size === 0) idle?.();
    });
  });
  return {
    get draining() {
      return draining;
    },
    async drain(timeoutMs) {
      draining = true;
      const started = inFlight.size;
      if (started > 0) {
        logger.info({ inFlight: started, timeoutMs }, "draining: waiting for the requests in flight");
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
        ]);
        clearTimeout(timer);
      }
      const cut = [...inFlight];
      for (const [res, req] of cut) {
        const socket = res.socket;
        // The body must end in an error, or its reader waits for bytes that never come (once
        // a response is sent, Node no longer aborts the request when its socket closes).
        const stop = () => {
          req.destroy(new Error("request cut: the server is stopping"));
          socket?.destroy();
        };
        if (!res.headersSent) {
          res.writeHead(503, { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "5", Connection: "close" });
          res.end(RESTARTING_MESSAGE, stop);
        } else {
          stop();
        }
      }
      if (cut.length > 0) {
        logger.warn({ cut: cut.length }, "draining: requests still running at the deadline were cut");
        // Let the cut requests' handlers see their closed bodies and roll back before the pools close.
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      server.close();
      server.closeAllConnections();
      return { finished: started - cut.length, cut: cut.length };
    },
  };
}
