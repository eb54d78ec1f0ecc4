import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * CSRF protection: a value issued by this server in an HttpOnly cookie and, in every form,
 * its HMAC under SESSION_SECRET. A cross-site page can neither read the cookie nor compute
 * the HMAC. Independent of the session, so it survives the session rotation at login.
 *
 * The cookie value is random bytes and their own HMAC (`<random>.<mac>`): a value the
 * client chose (planted from a sibling subdomain on plain http, or typed by an attacker who
 * then read its form token on his own page) is not one this server issued, so it is
 * replaced and the tokens derived from it are refused.
 */
export const CSRF_FIELD = "csrf";

const mac = (secret: string, label: string, value: string) =>
  createHmac("sha256", secret).update(`${label}:${value}`).digest("base64url");

export function newCsrfCookieValue(secret: string): string {
  const random = randomBytes(24).toString("base64url");
  return `${random}.${mac(secret, "csrf-cookie", random)}`;
}

/** Was this cookie value issued by this server (under this secret)? */
export function isIssuedCsrfCookie(secret: string, value: string | undefined): value is string {
  if (!value || value.length > 100) return false;
  const dot = value.indexOf(".");
  if (dot <= 0) return false;
  return safeEqual(mac(secret, "csrf-cookie", value.slice(0, dot)), value.slice(dot + 1));
}

export function csrfTokenFor(secret: string, cookieValue: string): string {
  return mac(secret, "csrf", cookieValue);
}

export function isValidCsrf(secret: string, cookieValue: string | undefined, token: unknown): boolean {
  if (!isIssuedCsrfCookie(secret, cookieValue) || typeof token !== "string") return false;
  return safeEqual(csrfTokenFor(secret, cookieValue), token);
}

function safeEqual(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
