import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets the server must read back (TOTP seeds), sealed at rest with AES-256-GCM under a
 * key from the environment (TOTP_ENCRYPTION_KEY; config.server.ts). A database dump alone
 * then gives no working second factor. `context` (e.g. the row's id) is authenticated
 * with the ciphertext: a sealed value copied onto another row does not open.
 *
 *   const sealed = sealSecret(key, "JBSWY3DP…", staffId);   // "v1.<iv>.<ciphertext+tag>"
 *   openSecret(key, sealed, staffId);                        // the clear text, or throws
 */
const VERSION = "v1";

export function sealSecret(key: Buffer, clear: string, context: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(context));
  const body = Buffer.concat([cipher.update(clear, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${VERSION}.${iv.toString("base64url")}.${body.toString("base64url")}`;
}

export function isSealed(value: string): boolean {
  return value.startsWith(`${VERSION}.`);
}

/** Throws when the value was not sealed under this key and context (wrong key, tampering). */
export function openSecret(key: Buffer, sealed: string, context: string): string {
  const [version, iv, body] = sealed.split(".");
  if (version !== VERSION || !iv || !body) throw new Error("not a sealed secret");
  const bytes = Buffer.from(body, "base64url");
  if (bytes.length < 16) throw new Error("not a sealed secret");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(context));
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString("utf8");
}
