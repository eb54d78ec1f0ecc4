import { randomBytes } from "node:crypto";
import { expect, test } from "vitest";
import { isSealed, openSecret, sealSecret } from "./secret-box.server";

test("a sealed secret opens only with its key and context, and never shows the clear text", () => {
  const key = randomBytes(32);
  const sealed = sealSecret(key, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "staff_totp:a");
  expect(isSealed(sealed)).toBe(true);
  expect(sealed).not.toContain("JBSWY3DP");
  expect(sealSecret(key, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "staff_totp:a")).not.toBe(sealed); // a fresh IV each time
  expect(openSecret(key, sealed, "staff_totp:a")).toBe("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
  expect(() => openSecret(randomBytes(32), sealed, "staff_totp:a")).toThrow();
  expect(() => openSecret(key, sealed, "staff_totp:b")).toThrow();
  const [v, iv, body] = sealed.split(".");
  const flipped = Buffer.from(body!, "base64url");
  flipped[0]! ^= 1;
  expect(() => openSecret(key, `${v}.${iv}.${flipped.toString("base64url")}`, "staff_totp:a")).toThrow();
  expect(isSealed("JBSWY3DPEHPK3PXP")).toBe(false);
});
