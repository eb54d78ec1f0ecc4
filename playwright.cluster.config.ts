import { defineConfig, devices } from "@playwright/test";
import { CHROMIUM_USE, E2E } from "./tests/e2e/support/env";

// The cluster journey (issue 16, docs/deploy.md): scripts/cluster.sh runs nginx in front of two
// app processes on PostgreSQL with an S3-compatible store (s3rver); the browser talks to nginx
// while one app process is restarted. Needs a PostgreSQL server: TEST_DATABASE_URL (an admin
// connection; the cluster's own database is created and dropped beside it).
const admin = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const databaseUrl = admin.replace(/\/[^/]*$/, "/cas_e2e_cluster");
export const CLUSTER = {
  baseUrl: `http://127.0.0.1:${E2E.port}`,
  databaseUrl,
  /** scripts/cluster.sh's settings, for `up` here and `restart` in the journey. */
  env: {
    CLUSTER_DIR: `${E2E.dataDir}-cluster`,
    CLUSTER_PORT: String(E2E.port),
    CLUSTER_APP_PORT: String(E2E.port + 1),
    CLUSTER_S3_PORT: String(E2E.port + 10),
    CLUSTER_DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://127.0.0.1:${E2E.smtpPort}`,
    LOG_LEVEL: "warn",
  },
};

export default defineConfig({
  testDir: "tests/e2e-cluster",
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  timeout: 900_000,
  expect: { timeout: 20_000 },
  use: {
    baseURL: CLUSTER.baseUrl,
    ...CHROMIUM_USE,
  },
  projects: [{ name: "cluster", use: { ...devices["Desktop Chrome"], channel: undefined } }],
  webServer: [
    {
      command: `node tests/e2e/support/smtp-sink.mjs`,
      port: E2E.smtpPort,
      reuseExistingServer: false,
      env: { MAIL_SINK_DIR: E2E.mailDir, SMTP_PORT: String(E2E.smtpPort) },
    },
    {
      command: `rm -rf ${E2E.totpFile} && bash scripts/cluster.sh up`,
      url: `${CLUSTER.baseUrl}/readyz`,
      reuseExistingServer: false,
      timeout: 400_000,
      gracefulShutdown: { signal: "SIGTERM", timeout: 60_000 },
      env: {
        ...CLUSTER.env,
        CLUSTER_FRESH: "1",
        ADMIN_EMAIL: E2E.admin.email,
        ADMIN_PASSWORD: E2E.admin.password,
        DEMO_DATA: "1",
      },
    },
  ],
});
