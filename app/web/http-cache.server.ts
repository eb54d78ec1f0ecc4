import { createHash, randomBytes } from "node:crypto";
import { data, type AppLoadContext } from "react-router";
import { getPrincipal } from "~/web/auth.server";

/**
 * HTTP caching for the public pages (list, detail, feeds).
 *
 * Anonymous visitors get a strong validator and `public, max-age=5`: a shared cache may
 * hold the page for a few seconds and revalidate cheaply (304, no render, no body).
 * The ETag hashes the loader's data, which already carries everything that depends on the
 * clock (phase, days left), the entity's settings and this process's boot id, so a new build
 * never answers 304 for markup it no longer renders. Nothing of the visitor: these pages
 * carry no CSRF token for an anonymous visitor (server/public-page-cache.ts).
 * Signed-in visitors get `private, no-store` (their name is on the page) and no validator,
 * hence `Vary: Cookie`.
 */
const BOOT_ID = randomBytes(6).toString("hex");

export const PUBLIC_CACHE_CONTROL = "public, max-age=5";
export const PRIVATE_CACHE_CONTROL = "private, no-store";

export function etagOf(...parts: string[]): string {
  const hash = createHash("sha256");
  for (const p of parts) hash.update(p).update("\0");
  return `"${hash.digest("base64url").slice(0, 27)}"`;
}

/** Whether If-None-Match (a list, or *) matches the ETag; weak comparison as RFC 9110 says for GET. */
export function matchesIfNoneMatch(request: Request | string | undefined, etag: string): boolean {
  const header = typeof request === "object" ? request.headers.get("if-none-match") : request;
  if (!header) return false;
  if (header.trim() === "*") return true;
  return header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag);
}

/**
 * For a page loader: returns the headers to send, or throws a 304 when the visitor's copy is
 * current. Call after loading the data, with that data.
 */
export async function conditionalPage(request: Request, context: AppLoadContext, payload: unknown): Promise<Headers> {
  const principal = await getPrincipal(request, context);
  const headers = new Headers();
  if (principal) {
    headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
    return headers;
  }
  // The layout shows the entity's settings (root loader): a change to them is a new page too.
  const entidad = await context.services.entidad.current();
  const etag = etagOf(BOOT_ID, JSON.stringify(entidad), JSON.stringify(payload));
  headers.set("ETag", etag);
  headers.set("Cache-Control", PUBLIC_CACHE_CONTROL);
  headers.set("Vary", "Cookie");
  if (matchesIfNoneMatch(request, etag)) throw data(null, { status: 304, headers });
  return headers;
}

/**
 * The route `headers` export for those pages: the loader's caching headers, unless a parent
 * (the root, for a signed-in visitor) says no-store; a 304 keeps its own headers.
 */
export function cachingHeaders({
  loaderHeaders,
  parentHeaders,
  errorHeaders,
}: {
  loaderHeaders: Headers;
  parentHeaders: Headers;
  errorHeaders?: Headers;
}): Headers {
  const headers = new Headers(errorHeaders ?? loaderHeaders);
  if (/no-store/.test(parentHeaders.get("Cache-Control") ?? "")) {
    headers.set("Cache-Control", PRIVATE_CACHE_CONTROL);
    headers.delete("ETag");
  }
  return headers;
}

/** For resource routes (feeds): the whole answer, 304 included. */
export function conditionalResource(request: Request, body: string, contentType: string): Response {
  const etag = etagOf(BOOT_ID, body);
  const headers = new Headers({
    ETag: etag,
    "Cache-Control": PUBLIC_CACHE_CONTROL,
  });
  if (matchesIfNoneMatch(request, etag)) return new Response(null, { status: 304, headers });
  headers.set("Content-Type", contentType);
  return new Response(body, { status: 200, headers });
}
