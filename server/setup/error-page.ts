import type express from "express";
import { isDatabaseUnavailable } from "~/db/errors.server";
import type { Logger } from "~/platform/logger.server";
import { sendEdgeRefusal } from "../edge";

/**
 * Guarantees that what escaped the pages (a failed rendering, a failed build load) is logged
 * through the `err` serializer (no SQL) and answered in Spanish: 503 when the database is
 * out of reach, 500 otherwise.
 */
export function setUpErrorPage(app: express.Express, logger: Logger) {
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    if (isDatabaseUnavailable(error)) return sendEdgeRefusal(req, res, { status: 503, cause: "database unavailable" }, logger);
    logger.error({ requestId: res.locals.requestId, err: error }, "unhandled error");
    sendEdgeRefusal(req, res, { status: 500, cause: "unhandled error" }, logger);
  });
}
