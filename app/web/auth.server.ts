import { eq } from "drizzle-orm";
import { redirect, type AppLoadContext } from "react-router";
import { postulantes, staff } from "~/db/schema";
import { pendingSecondFactor } from "~/features/staff-mfa/policy.server";
import { can, type Permission } from "~/shared/permissions";
import { cookieName, readCookie, serializeCookie } from "./cookies.server";
import { ABSOLUTE_TIMEOUT_MS, readSession, type Principal } from "~/platform/session.server";
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from "~/platform/throttle.server";

/**
 * Who is asking. Every loader and action that is not public calls one of the
 * require* helpers below: they redirect to sign-in, or throw 403.
 */
export function sessionCookieName(context: AppLoadContext): string {
  return cookieName("cas_session", context.services.config.secureCookies);
}

export function sessionCookie(context: AppLoadContext, token: string): string {
  return serializeCookie(sessionCookieName(context), token, {
    secure: context.services.config.secureCookies,
    maxAgeSeconds: ABSOLUTE_TIMEOUT_MS / 1000,
  });
}

export function clearSessionCookie(context: AppLoadContext): string {
  return serializeCookie(sessionCookieName(context), "", { secure: context.services.config.secureCookies, maxAgeSeconds: 0 });
}

/** The device cookie (throttle.server.ts): which accounts this browser signed in to before. */
export function deviceCookieValue(request: Request, context: AppLoadContext): string | undefined {
  return readCookie(request.headers.get("cookie"), cookieName(DEVICE_COOKIE, context.services.config.secureCookies));
}

export function deviceCookie(context: AppLoadContext, value: string): string {
  const secure = context.services.config.secureCookies;
  return serializeCookie(cookieName(DEVICE_COOKIE, secure), value, { secure, maxAgeSeconds: DEVICE_COOKIE_MAX_AGE_S });
}

export function sessionToken(request: Request, context: AppLoadContext): string | undefined {
  return readCookie(request.headers.get("cookie"), sessionCookieName(context));
}

/**
 * One read per request: React Router hands each loader its own copy of the Request (it strips
 * its `index` and `_routes` parameters), so a GET's loaders (the root's and the page's, run
 * together) share the request's load context, which is made once per request
 * (server/setup/pages.ts). A GET changes no session; any other method keys by its own Request,
 * since its action may change what was read.
 */
const perRequest = new WeakMap<object, Map<string, Promise<unknown>>>();
function oncePerRequest<T>(request: Request, context: AppLoadContext, key: string, read: () => PromiseLike<T>): Promise<T> {
  const owner = request.method === "GET" || request.method === "HEAD" ? context : request;
  let values = perRequest.get(owner);
  if (!values) perRequest.set(owner, (values = new Map()));
  let value = values.get(key) as Promise<T> | undefined;
  // Promise.resolve: a Drizzle query is a lazy thenable that runs again on every `then`.
  if (!value) values.set(key, (value = Promise.resolve(read())));
  return value;
}

export function getPrincipal(request: Request, context: AppLoadContext): Promise<Principal | null> {
  const token = sessionToken(request, context);
  return oncePerRequest(request, context, `principal:${token ?? ""}`, () => readSession(context.services.db, token, context.services.clock.now()));
}

/** The signed-in applicant's row (once per request, shared by the root's header and the page). */
export function postulanteRow(request: Request, context: AppLoadContext, postulanteId: string) {
  return oncePerRequest(request, context, `postulante:${postulanteId}`, () =>
    context.services.db.query.postulantes.findFirst({ where: eq(postulantes.id, postulanteId) }),
  );
}

/**
 * A path inside this site to come back to after sign-in (never an absolute URL).
 * Printable ASCII only: browsers drop tabs and newlines from a Location ("/\t/evil.example"
 * would become "//evil.example"), and a control or non-ASCII character in a header
 * makes Node throw (a 500).
 */
export function safeRedirectTo(value: unknown, fallback = "/"): string {
  if (
    typeof value !== "string" ||
    value.length > 1000 ||
    !/^\/[\x21-\x7e]*$/.test(value) ||
    value.startsWith("//") ||
    value.includes("\\")
  )
    return fallback;
  return value;
}

export async function requirePostulante(request: Request, context: AppLoadContext) {
  const principal = await getPrincipal(request, context);
  if (principal?.kind !== "postulante") {
    const url = new URL(request.url);
    throw redirect(`/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  const postulante = await postulanteRow(request, context, principal.postulanteId);
  if (!postulante) throw redirect("/login");
  return { principal, postulante };
}

// ------------------------------------------------------------------ staff

/** Staff only; 403 for an applicant or a staff member whose role lacks the permission. */
export async function requireStaff(request: Request, context: AppLoadContext, permission: Permission) {
  const principal = await getPrincipal(request, context);
  if (principal?.kind === "postulante") throw forbidden();
  if (principal?.kind !== "staff") {
    const url = new URL(request.url);
    throw redirect(`/admin/login?redirectTo=${encodeURIComponent(url.pathname)}`);
  }
  const member = await context.services.db.query.staff.findFirst({ where: eq(staff.id, principal.staffId) });
  if (!member || member.disabledAt) throw redirect("/admin/login");
  // Second factor (issue 5): a session past the password step only goes to /admin/segundo-factor or /admin/mfa.
  const pending = await pendingSecondFactor(context.services.db, member, principal.sessionHash);
  if (pending) {
    const url = new URL(request.url);
    const back = request.method === "GET" ? url.pathname + url.search : "/admin";
    const target = pending === "verify" ? "/admin/segundo-factor" : "/admin/mfa";
    throw redirect(`${target}?redirectTo=${encodeURIComponent(back)}`);
  }
  if (!can(member.role, permission)) throw forbidden();
  return { principal, staff: member };
}

export function forbidden(): Response {
  return new Response("No tiene permiso para ver esta página.", {
    status: 403,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}
