import type express from "express";
import { LRUCache } from "lru-cache";
import getRawBody from "raw-body";
import { matchRoutes, type RouteObject, type ServerBuild } from "react-router";
import { BASES_MAX_BYTES } from "~/features/convocatorias/convocatoria-datos.server";
import { TAMANO_MAXIMO_BYTES } from "~/features/convocatorias/documentos";
import { LOGO_MAX_BYTES } from "~/features/entidad/logo.server";
import { FORMATO_MAX_BYTES } from "~/features/declaraciones/tipo-archivo.server";
import { isUuid } from "~/shared/ids";
import { ONE_CLICK_UNSUBSCRIBE_PATH } from "~/web/forms.server";
import { CONTROL, CONTROL_BUT_TEXT, isIdName } from "~/shared/input-rules";
import type { Logger } from "~/platform/logger.server";

/**
 * The HTTP edge: what every request must pass before a route runs (docs/accounts-security.md,
 * "The HTTP edge").
 *
 * - Bodies are bounded while they stream. A form (urlencoded) is at most FORM_BODY_LIMIT (a
 *   few named forms more: LARGE_FORMS) and is read here, whole, before the router sees it; a multipart body is accepted only by the
 *   routes that receive a file (UPLOAD_ROUTES), up to that route's limit, and read by the
 *   route as it arrives. A declared Content-Length over the limit is refused before a byte
 *   is read; a chunked body is counted and cut at the limit. Answer: 413 (415 for a
 *   multipart, or any other body, where none is expected) and the connection is closed.
 * - Every value is text the database can hold: the path, the query and the form fields are
 *   decoded strictly (invalid UTF-8 or a broken %-escape is a 400) and may not carry control
 *   characters (values may carry tab, CR and LF; names and the path none). 400, before any query.
 * - Ids are UUIDs: a path parameter `id` or `…Id` and a field or query parameter of that name
 *   that is not one is a 404, before any query.
 */

/** Forms: every form of this app but the one below fits in a few KiB. */
export const FORM_BODY_LIMIT = 64 * 1024;

/**
 * The forms that need more. An evaluation sheet (admin.evaluacion.etapas.$id) posts a page of
 * up to 100 rows, each with an observación of up to 1000 characters: up to 9 bytes each once
 * %-encoded (a 3-byte UTF-8 character), ~0.9 MB at worst.
 */
const LARGE_FORMS: { path: RegExp; limit: number }[] = [
  { path: /^\/admin\/evaluacion\/etapas\/[^/]+(?:\.data)?\/?$/, limit: 1024 * 1024 },
];

export function formLimitFor(path: string): number {
  return LARGE_FORMS.find((r) => r.path.test(path))?.limit ?? FORM_BODY_LIMIT;
}

/**
 * What the upload routes accept beyond their largest file: the other fields and the
 * multipart framing, and what the upload reader reads and drops after a file over its
 * type's limit (upload.server.ts, maxDrainBytes) so that the browser receives the form
 * with "El archivo supera el tamaño máximo…" rather than a reset connection.
 */
const UPLOAD_ALLOWANCE = 65 * 1024 * 1024;

/** The largest limit a document type may have (the catalogue's ceiling): each convocatoria keeps its own, below it. */
const MAX_DOCUMENTO_BYTES = TAMANO_MAXIMO_BYTES;

/** The routes that receive a file (multipart), by path (`.data`: the same route's action with JavaScript). */
const UPLOAD_ROUTES: { path: RegExp; limit: number }[] = [
  // Postulación: "CARGAR" without JavaScript, and with it (XMLHttpRequest).
  { path: /^\/postulacion\/[^/]+(?:\/cargar)?(?:\.data)?\/?$/, limit: MAX_DOCUMENTO_BYTES + UPLOAD_ALLOWANCE },
  // Nueva convocatoria and a convocatoria's edit page: the bases.
  { path: /^\/admin\/convocatorias\/[^/]+(?:\.data)?\/?$/, limit: BASES_MAX_BYTES + UPLOAD_ALLOWANCE },
  // Formatos de declaraciones juradas.
  { path: /^\/admin\/declaraciones-juradas(?:\.data)?\/?$/, limit: FORMATO_MAX_BYTES + UPLOAD_ALLOWANCE },
  // Datos de la entidad: the logo.
  { path: /^\/admin\/entidad(?:\.data)?\/?$/, limit: LOGO_MAX_BYTES + UPLOAD_ALLOWANCE },
  // Not a file: an alert's one-click unsubscribe, which RFC 8058 asks to accept as multipart
  // (`List-Unsubscribe=One-Click` and its framing: well under 1 KiB; app/web/forms.server.ts).
  { path: ONE_CLICK_UNSUBSCRIBE_PATH, limit: 4 * 1024 },
];

export function uploadLimitFor(path: string): number | undefined {
  return UPLOAD_ROUTES.find((r) => r.path.test(path))?.limit;
}

export type EdgeRefusal = { status: 400 | 404 | 413 | 415 | 500 | 503; cause: string };

/** What the edge leaves for the request handler (server/request-handler.ts). */
export type EdgeBody =
  /** A form, read and checked here. */
  | { kind: "form"; bytes: Buffer }
  /** A multipart upload, read by the route: a chunked one is counted and cut at `limit`. */
  | { kind: "upload"; limit: number; counted: boolean }
  | { kind: "none" };

export function edgeBodyOf(res: express.Response): EdgeBody {
  return (res.locals.edgeBody as EdgeBody | undefined) ?? { kind: "none" };
}

const PAGES: Record<EdgeRefusal["status"], { title: string; message: string }> = {
  400: {
    title: "Solicitud no válida",
    message: "La dirección o el formulario contiene caracteres no válidos. Vuelva atrás, revise lo escrito e inténtelo de nuevo.",
  },
  404: { title: "Página no encontrada", message: "La dirección no existe o el recurso ya no está disponible." },
  413: {
    title: "Envío demasiado grande",
    message: "Lo enviado supera el tamaño máximo que admite esta página. Vuelva atrás e inténtelo de nuevo.",
  },
  415: {
    title: "Envío no admitido",
    message: "Esta página no recibe archivos ni ese tipo de contenido. Vuelva atrás e inténtelo de nuevo.",
  },
  500: {
    title: "Ocurrió un error inesperado",
    message: "Inténtelo nuevamente en unos minutos. Si el problema continúa, comuníquese con la Oficina de Recursos Humanos.",
  },
  503: {
    title: "Servicio no disponible",
    message: "El servicio no está disponible en este momento. Intente en unos minutos.",
  },
};

/** Seconds a client is asked to wait while the database is unreachable. */
export const RETRY_AFTER_SECONDS = 60;

/**
 * Answers a refusal the router never saw: a small Spanish page (JSON for a script that asks
 * for it, as the upload's XMLHttpRequest does). After a body that was not read (413, 415)
 * the connection is closed: it cannot carry another request.
 */
export function sendEdgeRefusal(req: express.Request, res: express.Response, refusal: EdgeRefusal, logger: Logger): void {
  const page = PAGES[refusal.status];
  const level = refusal.status >= 500 ? "error" : "warn";
  // The cause names the rule and at most a field's name, never a value.
  logger[level]({ requestId: res.locals.requestId, status: refusal.status, cause: refusal.cause }, "request refused at the edge");
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const bodyUnread = refusal.status === 413 || refusal.status === 415;
  res.status(refusal.status);
  res.set("Cache-Control", "no-store");
  if (bodyUnread) res.set("Connection", "close");
  if (refusal.status === 503) res.set("Retry-After", String(RETRY_AFTER_SECONDS));
  if (/application\/json/.test(req.get("accept") ?? "")) {
    res.json({ ok: false, errors: { form: page.message } });
  } else {
    res.type("html").send(edgePage(page.title, page.message));
  }
}

function edgePage(title: string, message: string): string {
  // Self-contained (no script, no inline style: the CSP allows neither), readable at 360 px.
  return `<!doctype html>
<html lang="es-PE">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · CAS Online</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
</head>
<body>
<main id="contenido">
<h1>${title}</h1>
<p>${message}</p>
<p><a href="/">Volver al inicio</a></p>
</main>
</body>
</html>
`;
}

const fatalUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A %-encoded component, or undefined when an escape is broken or the bytes are not UTF-8. */
function decodeStrict(raw: string, plusIsSpace: boolean): string | undefined {
  try {
    return decodeURIComponent(plusIsSpace ? raw.replace(/\+/g, " ") : raw);
  } catch {
    return undefined;
  }
}

/**
 * The pairs of a query string or urlencoded form, checked: a refusal, or nothing. Values may
 * hold tab, CR and LF (a search form is a GET form; a textarea keeps its line breaks).
 */
export function checkPairs(encoded: string, where: "query" | "form"): EdgeRefusal | undefined {
  if (encoded === "") return undefined;
  for (const pair of encoded.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = decodeStrict(eq === -1 ? pair : pair.slice(0, eq), true);
    const value = decodeStrict(eq === -1 ? "" : pair.slice(eq + 1), true);
    if (name === undefined || value === undefined) return { status: 400, cause: `${where}: invalid encoding` };
    if (CONTROL.test(name)) return { status: 400, cause: `${where}: control character in a name` };
    const field = name.slice(0, 40);
    if (CONTROL_BUT_TEXT.test(value)) return { status: 400, cause: `${where}: control character in ${field}` };
    if (isIdName(name) && !isUuid(value)) return { status: 404, cause: `${where}: ${field} is not an id` };
  }
  return undefined;
}

/** The path's segments decoded strictly, without control characters. */
export function checkPath(path: string): EdgeRefusal | undefined {
  for (const segment of path.split("/")) {
    const decoded = decodeStrict(segment, false);
    if (decoded === undefined) return { status: 400, cause: "path: invalid encoding" };
    if (CONTROL.test(decoded)) return { status: 400, cause: "path: control character" };
  }
  return undefined;
}

/** A urlencoded body: UTF-8 (browsers escape everything else, but a client need not). */
export function checkFormBody(bytes: Buffer): EdgeRefusal | undefined {
  let text: string;
  try {
    text = fatalUtf8.decode(bytes);
  } catch {
    return { status: 400, cause: "form: invalid UTF-8" };
  }
  return checkPairs(text, "form");
}

const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(?:;|$)/i;
const MULTIPART_TYPE = /^multipart\/form-data\s*(?:;|$)/i;

/**
 * Express middleware, before anything that answers a request: path and query checked, the
 * body's kind and size decided, a form read (bounded) and checked.
 */
export function edgeGuard(logger: Logger): express.RequestHandler {
  return async (req, res, next) => {
    const [rawPath = "", rawQuery = ""] = splitTarget(req.originalUrl);
    const refusal = checkPath(rawPath) ?? checkPairs(rawQuery, "query");
    if (refusal) return sendEdgeRefusal(req, res, refusal, logger);

    const declared = req.get("content-length");
    const length = declared === undefined ? undefined : Number(declared);
    const chunked = req.get("transfer-encoding") !== undefined;
    const hasBody = chunked || (length !== undefined && length > 0);
    if (!hasBody) return next();

    const type = req.get("content-type") ?? "";
    const encoded = (req.get("content-encoding") ?? "identity").toLowerCase() !== "identity";
    if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") {
      return sendEdgeRefusal(req, res, { status: 413, cause: `body on ${req.method}` }, logger);
    }
    if (encoded) return sendEdgeRefusal(req, res, { status: 415, cause: "content-encoding" }, logger);

    if (MULTIPART_TYPE.test(type)) {
      const limit = uploadLimitFor(rawPath);
      if (limit === undefined) return sendEdgeRefusal(req, res, { status: 415, cause: "multipart where no file is expected" }, logger);
      if (length !== undefined && length > limit) return sendEdgeRefusal(req, res, { status: 413, cause: "declared upload over the limit" }, logger);
      // With a Content-Length, Node's parser delivers no more than it: only a chunked body needs counting.
      res.locals.edgeBody = { kind: "upload", limit, counted: length === undefined } satisfies EdgeBody;
      return next();
    }
    if (!FORM_TYPE.test(type)) return sendEdgeRefusal(req, res, { status: 415, cause: "unexpected content-type" }, logger);
    const limit = formLimitFor(rawPath);
    if (length !== undefined && length > limit) {
      return sendEdgeRefusal(req, res, { status: 413, cause: "declared form over the limit" }, logger);
    }
    let bytes: Buffer;
    try {
      // raw-body stops reading (the request stays paused) at limit + 1 byte.
      bytes = await getRawBody(req, { limit, length: length ?? null });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === "entity.too.large") return sendEdgeRefusal(req, res, { status: 413, cause: "form over the limit" }, logger);
      // request.aborted, request.size.invalid: the client went away or lied; no answer is read.
      logger.info({ requestId: res.locals.requestId, cause: type ?? "read error" }, "form body not read");
      res.destroy();
      return;
    }
    const bad = checkFormBody(bytes);
    if (bad) return sendEdgeRefusal(req, res, bad, logger);
    res.locals.edgeBody = { kind: "form", bytes } satisfies EdgeBody;
    next();
  };
}

function splitTarget(url: string): [string, string] {
  const q = url.indexOf("?");
  return q === -1 ? [url, ""] : [url.slice(0, q), url.slice(q + 1)];
}

type RouteNode = { id: string; path?: string; index?: boolean; caseSensitive?: boolean; children: RouteNode[] };
type RouteMatch = { route: NonNullable<ServerBuild["routes"][string]>; params: Record<string, string | undefined> };
/** A build's route tree, and the matches of the paths requested last. */
type Matcher = { tree: RouteNode[]; recent: LRUCache<string, RouteMatch | false> };
const matchers = new WeakMap<ServerBuild["routes"], Matcher>();

/** The build's routes as the tree matchRoutes takes, and a cache of its matches (made once per build). */
function matcherOf(routes: ServerBuild["routes"]): Matcher {
  let matcher = matchers.get(routes);
  if (matcher) return matcher;
  const nodes = new Map<string, RouteNode>();
  for (const route of Object.values(routes)) {
    if (!route) continue;
    nodes.set(route.id, { id: route.id, path: route.path, index: route.index, caseSensitive: route.caseSensitive, children: [] });
  }
  const tree: RouteNode[] = [];
  for (const route of Object.values(routes)) {
    if (!route) continue;
    const node = nodes.get(route.id)!;
    const parent = route.parentId ? nodes.get(route.parentId) : undefined;
    (parent ? parent.children : tree).push(node);
  }
  // matchRoutes flattens and ranks all ~50 routes on every call (~1 ms of CPU, as much as
  // the rest of a small page: bench/README.md, "Request handler"); the paths asked for again
  // (the list, the pages without an id, an applicant's own postulación) are matched once.
  // Bounded by the paths' length: 1 M characters.
  const recent = new LRUCache<string, RouteMatch | false>({ max: 2000, maxSize: 1024 * 1024, sizeCalculation: (_v, path) => path.length + 1 });
  matcher = { tree, recent };
  matchers.set(routes, matcher);
  return matcher;
}

/**
 * The deepest route the path matches (`/x.data`, the single-fetch request of `/x`, matches
 * `/x`; `/_root.data`: `/`), with its parameters; undefined when none does.
 */
export function matchRoute(routes: ServerBuild["routes"], pathname: string): RouteMatch | undefined {
  const { tree, recent } = matcherOf(routes);
  let match = recent.get(pathname);
  if (match === undefined) {
    const path = pathname.endsWith(".data") ? pathname.slice(0, -".data".length).replace(/^\/_root$/, "/") : pathname;
    const matches = matchRoutes(tree as RouteObject[], path);
    const deepest = matches?.[matches.length - 1];
    match = deepest ? { route: routes[(deepest.route as RouteNode).id]!, params: deepest.params } : false;
    recent.set(pathname, match);
  }
  return match || undefined;
}

/**
 * The route's path parameters named `id` or `…Id` that are not UUIDs (every entity's id is
 * one): such a URL names nothing, and is a 404 before any loader queries with it.
 */
export function checkIdParams(routes: ServerBuild["routes"], pathname: string): EdgeRefusal | undefined {
  const match = matchRoute(routes, pathname);
  if (!match) return undefined;
  for (const [name, value] of Object.entries(match.params)) {
    if (value !== undefined && isIdName(name) && !isUuid(value)) return { status: 404, cause: `path: ${name} is not an id` };
  }
  return undefined;
}
