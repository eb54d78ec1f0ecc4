import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A random token for a cookie or an e-mailed link; only its hash is stored. */
export function newToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * A link token that needs no row: `<id>.<HMAC(secret, purpose:id)>`, for a link that every
 * e-mail of a subject repeats (an alert's unsubscribe link: each daily digest carries it, and a
 * stored hash could not be turned back into the link). A new SESSION_SECRET ends them.
 */
export function signedToken(secret: string, purpose: string, id: string): string {
  return `${id}.${createHmac("sha256", secret).update(`${purpose}:${id}`).digest("base64url")}`;
}

/** The id a signed token names, or null when it was not made by signedToken with this secret and purpose. */
export function verifySignedToken(secret: string, purpose: string, token: unknown): string | null {
  if (typeof token !== "string" || token.length > 200) return null;
  const id = token.slice(0, Math.max(0, token.lastIndexOf(".")));
  if (!id) return null;
  const expected = Buffer.from(signedToken(secret, purpose, id));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? id : null;
}
