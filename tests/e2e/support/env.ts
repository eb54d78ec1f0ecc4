import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where the e2e run's app and mail sink live (one layout, shared by config and tests).
 * E2E_PORT, E2E_SMTP_PORT and E2E_ROOT move it, so two runs can share a machine.
 */
const port = Number(process.env.E2E_PORT ?? 3210);
const root = process.env.E2E_ROOT ?? path.join(tmpdir(), `cas-e2e${process.env.E2E_PORT ? `-${port}` : ""}`);
export const E2E = {
  port,
  baseUrl: `http://localhost:${port}`,
  smtpPort: Number(process.env.E2E_SMTP_PORT ?? 2526),
  dataDir: path.join(root, "data"),
  mailDir: path.join(root, "mail"),
  /** TOTP secrets read from enrolment pages, kept across test workers (cleared when the app starts afresh). */
  totpFile: path.join(root, "totp.json"),
  admin: { email: "admin@cas.test", password: "Admin-e2e-2026-clave" },
};

/**
 * What every Playwright run uses: Debian's Chromium (never a downloaded browser), with the
 * flags this machine's closed network needs, in Lima's locale and time zone.
 */
export const CHROMIUM_USE = {
  locale: "es-PE",
  timezoneId: "America/Lima",
  trace: "retain-on-failure" as const,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  },
};
