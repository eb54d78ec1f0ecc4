import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

describe("the foundation over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
  });
  afterAll(async () => {
    await app.close();
    await s.close();
  });

  it("answers /healthz and /readyz", async () => {
    expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.text()).toBe("ready");
  });

  it("sends security headers: a CSP without unsafe-inline, nosniff, no framing, a referrer policy", async () => {
    const res = await app.client().get("/");
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toMatch(/script-src 'self' 'nonce-[^']+'/);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.html).toContain('<html lang="es-PE">');
  });

  it("refuses a cross-site POST before anything runs", async () => {
    const res = await fetch(`${app.baseUrl}/login`, {
      method: "POST",
      headers: { origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "x=1",
    });
    expect(res.status).toBe(403);
  });
});
