import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_USE, E2E } from "./tests/e2e/support/env";

/** The specs only the phone projects run (the visit of every route at 360 px). */
const PHONE_ONLY = /telefono\.spec\.ts$/;
/** The applicant journeys (JavaScript on and off) that the narrowest phone runs too. */
const APPLICANT_JOURNEYS = /(postulacion|alertas|desistimiento|mis-documentos|sustento)\.spec\.ts$/;
/** The seed's own flow (issue 12), which the 390 px phone runs as well: what fits 360 px fits 390 px. */
const SEED_JOURNEYS = /postulacion\.spec\.ts$/;

/** A phone of that viewport: touch, mobile viewport meta honoured, Android Chrome's user agent. */
function phone(width: number, height: number) {
  return { ...devices["Pixel 5"], viewport: { width, height }, screen: { width, height }, channel: undefined };
}

// End-to-end journeys in Debian's Chromium (never a downloaded browser), against the
// built app on a fresh DATA_DIR, with a real SMTP server on loopback catching the mail.
export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 180_000,
  // Assertions wait up to 20 s: on a loaded 2-core machine a page can take longer than the default 5 s.
  expect: { timeout: 20_000 },
  use: {
    baseURL: E2E.baseUrl,
    ...CHROMIUM_USE,
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: PHONE_ONLY },
    // Issue 12: phones (touch, Debian's Chromium emulating a phone's viewport). At 360 px they run every
    // applicant journey and the visit of every route; at 390 px the seed's journeys (see docs/testing.md).
    { name: "phone-360", use: phone(360, 740), testMatch: [APPLICANT_JOURNEYS, PHONE_ONLY] },
    { name: "phone-390", use: phone(390, 844), testMatch: [SEED_JOURNEYS] },
  ],
  webServer: [
    {
      command: `node tests/e2e/support/smtp-sink.mjs`,
      port: E2E.smtpPort,
      reuseExistingServer: false,
      env: { MAIL_SINK_DIR: E2E.mailDir, SMTP_PORT: String(E2E.smtpPort) },
    },
    {
      command: `rm -rf ${E2E.dataDir} ${E2E.totpFile} && node server.js`,
      url: `${E2E.baseUrl}/readyz`,
      reuseExistingServer: false,
      timeout: 240_000,
      env: {
        NODE_ENV: "production",
        // Required in production (the TOTP seeds are sealed with it); a fixed test key.
        TOTP_ENCRYPTION_KEY: "e2e0".repeat(16),
        PORT: String(E2E.port),
        BASE_URL: E2E.baseUrl,
        DATA_DIR: E2E.dataDir,
        SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        DEMO_DATA: "1",
        LOG_LEVEL: "warn",
      },
    },
  ],
});
