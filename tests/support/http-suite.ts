import { afterAll, beforeAll } from "vitest";
import { startTestApp } from "./http";
import { createTestServices, type TestServices } from "./services";
import { startSmtpServer } from "./smtp";

export type TestApp = Awaited<ReturnType<typeof startTestApp>>;
export type TestSmtp = Awaited<ReturnType<typeof startSmtpServer>>;

/**
 * The set-up of a describe block of HTTP tests: a real SMTP server on loopback when `smtp` (the
 * app's SMTP_URL), the services on a fresh database with `env`, and the real app over HTTP,
 * started before the block's tests and closed after them. `started` receives them, in the same
 * hook, for the block's own variables and set-up.
 */
export function useTestApp<Smtp extends boolean = false>(
  options: { smtp?: Smtp; env?: Record<string, string> },
  started: (t: { s: TestServices; app: TestApp; smtp: Smtp extends true ? TestSmtp : undefined }) => void | Promise<void>,
) {
  const t: { s?: TestServices; app?: TestApp; smtp?: TestSmtp } = {};
  beforeAll(async () => {
    if (options.smtp) t.smtp = await startSmtpServer();
    t.s = await createTestServices({ env: { ...options.env, ...(t.smtp ? { SMTP_URL: t.smtp.url } : {}) } });
    t.app = await startTestApp(t.s);
    await started({ s: t.s, app: t.app, smtp: t.smtp as Smtp extends true ? TestSmtp : undefined });
  });
  afterAll(async () => {
    await t.app?.close();
    await t.s?.close();
    await t.smtp?.close();
  });
}
