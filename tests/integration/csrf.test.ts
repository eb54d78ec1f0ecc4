import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenFor, isIssuedCsrfCookie, newCsrfCookieValue } from "~/web/csrf.server";
import { createPostulante } from "../support/accounts";
import { startTestApp } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/**
 * The CSRF cookie is issued by the server, signed; a value the client chose is never
 * the base of a token the server accepts (issue 11, item 7).
 */
describe("CSRF cookie issued by the server", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  const CSRF = "__Host-csrf";
  beforeAll(async () => {
    s = await createTestServices({ env: { BASE_URL: "https://cas.entidad.test" } });
    app = await startTestApp(s);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it("issues a signed value under the __Host- prefix (https), Secure and HttpOnly", async () => {
    const res = await fetch(`${app.baseUrl}/login`);
    const line = res.headers.getSetCookie().find((l) => l.startsWith(`${CSRF}=`));
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).not.toMatch(/Domain=/i);
    const value = decodeURIComponent(line!.slice(CSRF.length + 1).split(";")[0]!);
    expect(isIssuedCsrfCookie(s.config.sessionSecret, value)).toBe(true);
  });

  it("replaces a cookie value the client chose and refuses the token derived from it, even with the right password", async () => {
    const p = await createPostulante(s);
    const chosen = "valor-elegido-por-el-atacante";
    const c = app.client();
    c.cookies.set(CSRF, chosen);
    const page = await c.get("/login");
    // A new, server-issued value replaces the chosen one, and the page's token is not the chosen value's.
    expect(c.cookies.get(CSRF)).not.toBe(chosen);
    expect(isIssuedCsrfCookie(s.config.sessionSecret, decodeURIComponent(c.cookies.get(CSRF)!))).toBe(true);
    expect(page.html).not.toContain(csrfTokenFor(s.config.sessionSecret, chosen));

    // The browser posts with the planted cookie and the token an attacker read for it on his own page.
    c.cookies.set(CSRF, chosen);
    const fields = { tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, password: p.password };
    const res = await c.post("/login", fields, { csrf: csrfTokenFor(s.config.sessionSecret, chosen) });
    expect(res.status).toBe(403);
    expect(res.html).toContain("La página caducó");
    expect([...c.cookies.keys()].some((k) => k.includes("cas_session"))).toBe(false);

    // A value shaped like an issued one but signed under another secret is refused as well.
    const foreign = newCsrfCookieValue("otro-secreto-otro-secreto-otro-secreto-00");
    c.cookies.set(CSRF, foreign);
    expect((await c.post("/login", fields, { csrf: csrfTokenFor(s.config.sessionSecret, foreign) })).status).toBe(403);

    // With the server's own cookie and its token the same sign-in goes through.
    const ok = app.client();
    await ok.get("/login");
    expect((await ok.post("/login", fields)).status).toBe(302);
  });
});
