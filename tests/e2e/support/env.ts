import { tmpdir } from "node:os";
import path from "node:path";

/** Where the e2e run's app and mail sink live (one fixed layout, shared by config and tests). */
const root = path.join(tmpdir(), "cas-e2e");
export const E2E = {
  port: 3210,
  baseUrl: "http://localhost:3210",
  smtpPort: 2526,
  dataDir: path.join(root, "data"),
  mailDir: path.join(root, "mail"),
  /** TOTP secrets read from enrolment pages, kept across test workers (cleared when the app starts afresh). */
  totpFile: path.join(root, "totp.json"),
  admin: { email: "admin@cas.test", password: "Admin-e2e-2026-clave" },
};
