import { createHash, randomBytes } from "node:crypto";
import * as OTPAuth from "otpauth";
import QRCode from "qrcode";

/** RFC 6238 as every authenticator app expects it: SHA-1, 6 digits, 30-second steps. */
export const PERIOD = 30;

export function newSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32;
}

function totp(secret: string, label = "", issuer = "CAS Online") {
  return new OTPAuth.TOTP({ issuer, label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The time step a code belongs to, when it is valid now (±1 step for clock drift); null otherwise. */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta == null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** The current code (tests and the enrolment walk-through). */
export function currentCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() });
}

export function otpauthUri(secret: string, label: string, issuer: string): string {
  return totp(secret, label, issuer).toString();
}

/** The QR of the otpauth URI as an SVG data URL (CSP allows img data:). */
export function qrDataUrl(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(
    (svg) => `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`,
  );
}

/** Ten recovery codes such as "7KQ2-M9XD-4HTP"; shown once, stored as SHA-256. */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export const normalizeRecovery = (code: string) => code.toUpperCase().replace(/[^0-9A-Z]/g, "");
export const hashRecovery = (code: string) => createHash("sha256").update(`recovery:${normalizeRecovery(code)}`).digest("hex");
