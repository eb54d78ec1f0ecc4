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
