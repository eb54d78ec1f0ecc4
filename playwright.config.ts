import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./tests/e2e/support/env";

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
    locale: "es-PE",
    timezoneId: "America/Lima",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined } }],
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
