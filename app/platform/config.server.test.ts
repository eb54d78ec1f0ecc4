import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, test } from "vitest";
import { loadConfig } from "./config.server";

const dirs: string[] = [];
const dataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cas-config-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test("production refuses to start without TOTP_ENCRYPTION_KEY, naming it", () => {
  expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir() })).toThrow(/TOTP_ENCRYPTION_KEY: required in production/);
  const hex = "ab".repeat(32);
  expect(loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir(), TOTP_ENCRYPTION_KEY: hex }).totpKey).toEqual(Buffer.from(hex, "hex"));
  const b64 = Buffer.alloc(32, 9).toString("base64");
  expect(loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir(), TOTP_ENCRYPTION_KEY: b64 }).totpKey).toEqual(Buffer.alloc(32, 9));
  expect(() => loadConfig({ NODE_ENV: "production", DATA_DIR: dataDir(), TOTP_ENCRYPTION_KEY: "corta" })).toThrow(/TOTP_ENCRYPTION_KEY: must be 32 bytes/);
});

test("in development and in the demo a key is generated once into DATA_DIR and kept across starts", () => {
  expect(loadConfig({ NODE_ENV: "production", DEMO_DATA: "1", DATA_DIR: dataDir() }).totpKey).toHaveLength(32);
  const dir = dataDir();
  const first = loadConfig({ DATA_DIR: dir }).totpKey;
  expect(first).toHaveLength(32);
  expect(existsSync(path.join(dir, "totp-key"))).toBe(true);
  expect(readFileSync(path.join(dir, "totp-key"), "utf8")).toBe(first.toString("hex"));
  expect(loadConfig({ DATA_DIR: dir }).totpKey).toEqual(first);
});
