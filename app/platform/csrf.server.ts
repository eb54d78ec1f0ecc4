import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF protection: a random value in an HttpOnly cookie and, in every form, its HMAC
 * under SESSION_SECRET. A cross-site page can neither read the cookie nor compute the
 * HMAC. Independent of the session, so it survives the session rotation at login.
 */
export const CSRF_FIELD = "csrf";

export function newCsrfCookieValue(): string {
  return randomBytes(24).toString("base64url");
}

export function csrfTokenFor(secret: string, cookieValue: string): string {
  return createHmac("sha256", secret).update(`csrf:${cookieValue}`).digest("base64url");
}

export function isValidCsrf(secret: string, cookieValue: string | undefined, token: unknown): boolean {
  if (!cookieValue || typeof token !== "string") return false;
  const expected = Buffer.from(csrfTokenFor(secret, cookieValue));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
