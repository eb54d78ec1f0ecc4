import { createHash, randomUUID } from "node:crypto";
import zlib from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { csrfTokenFor } from "~/web/csrf.server";
import { createPostulante, createStaff } from "../support/accounts";
import { makeConvocatoria, signIn } from "../support/convocatorias";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";
import { rawGet } from "../support/raw-get";

// server/public-page-cache.ts: anonymous public pages (of the routes that declare
// `handle.publicCache`) rendered once per URL for max-age, each answer still carrying its
// own CSP nonce; the same bytes otherwise for every anonymous visitor (no CSRF token, no
// cookie set), so a shared cache in front may keep them too; any other request rendered once.

const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("the public page cache", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let gestorId: string;
  beforeAll(async () => {
    s = await createTestServices({ env: { PUBLIC_CACHE_SECONDS: "5" } });
    app = await startTestApp(s);
    gestorId = (await createStaff(s, "gestor")).id;
    await makeConvocatoria(s, gestorId, { overrides: { puesto: "Analista de Sistemas Alfa" } });
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await s.close();
  });

  // The convocatoria lookups of the detail's and the bases' loaders, counted.
  const countLookups = () => vi.spyOn(s.db.query.convocatorias, "findFirst");
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const visitor = async (path: string) => {
    const c = app.client();
    const page = await c.get(path);
    return { c, page };
  };
  const scriptNonces = (html: string) => new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]));

  it("serves one rendering for max-age, the same bytes and nonce to everyone, and no CSRF token or cookie", async () => {
    const a = await visitor("/convocatorias?q=analista");
    expect(a.page.status).toBe(200);
    expect(a.page.html).toContain("Analista de Sistemas Alfa");

    // Written behind the cache's back: the next visitor within max-age gets the kept rendering.
    await makeConvocatoria(s, gestorId, { overrides: { puesto: "Analista de Datos Beta" } });
    const b = await visitor("/convocatorias?q=analista");
    expect(b.page.html).not.toContain("Analista de Datos Beta");

    for (const v of [a, b]) {
      const nonce = nonceOf(v.page.headers.get("content-security-policy"));
      expect(nonce).toBeTruthy();
      // Every script the page carries has the nonce its CSP header names, and no other.
      expect(scriptNonces(v.page.html)).toEqual(new Set([nonce]));
      expect(v.page.html).not.toMatch(/nonce[0-9a-f]{24}/);
      // Nothing of the visitor: no cookie issued.
      expect(v.page.headers.getSetCookie()).toEqual([]);
    }
    // One rendering: the same bytes, its own nonce included.
    expect(b.page.html).toBe(a.page.html);

    // After max-age (the services' clock), the page is rendered again, with a nonce of its own.
    s.clock.advance(6_000);
    const c = await visitor("/convocatorias?q=analista");
    expect(c.page.html).toContain("Analista de Datos Beta");
    const nonce = nonceOf(c.page.headers.get("content-security-policy"));
    expect(nonce).not.toBe(nonceOf(a.page.headers.get("content-security-policy")));
    expect(scriptNonces(c.page.html)).toEqual(new Set([nonce]));
  });

  // Compressed once per encoding (server/public-page-cache.ts): what that saves is measured in bench/crowd.mjs.
  it("sends a kept page compressed as the browser asks, the same bytes to every browser taking that encoding", async () => {
    const plain = await rawGet(`${app.baseUrl}/convocatorias?q=sistemas`, "identity");
    expect(plain.headers["content-encoding"]).toBeUndefined();
    for (const [encoding, decode] of [
      ["br", zlib.brotliDecompressSync],
      ["gzip", zlib.gunzipSync],
    ] as const) {
      const first = await rawGet(`${app.baseUrl}/convocatorias?q=sistemas`, encoding);
      const second = await rawGet(`${app.baseUrl}/convocatorias?q=sistemas`, `${encoding}, deflate`);
      for (const r of [first, second]) {
        expect(r.headers["content-encoding"]).toBe(encoding);
        expect(r.headers["vary"]).toMatch(/Accept-Encoding/i);
        expect(Number(r.headers["content-length"])).toBe(r.body.length);
        expect(decode(r.body).toString()).toBe(plain.body.toString());
      }
      expect(second.body.equals(first.body)).toBe(true);
    }
  });

  it("answers 304 to any anonymous visitor holding the current copy, and without a new CSP", async () => {
    const a = await visitor("/convocatorias");
    const etag = a.page.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect(a.page.headers.get("cache-control")).toBe("public, max-age=5");
    expect(a.page.headers.get("vary")).toMatch(/Cookie/);

    // A visitor who has a CSRF cookie from a form elsewhere gets the same page, without their token.
    const withCookie = app.client();
    await withCookie.get("/login");
    const cookie = withCookie.cookies.get("csrf")!;
    expect(cookie).toBeTruthy();
    const list = await withCookie.get("/convocatorias");
    expect(list.headers.get("etag")).toBe(etag);
    expect(list.html).not.toContain(csrfTokenFor(s.config.sessionSecret, cookie));

    const again = await fetch(`${app.baseUrl}/convocatorias`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("content-security-policy")).toBeNull();
  });

  it("gives the same token-free page with the cache off, and a form page still issues its cookie and token", async () => {
    const off = await createTestServices({ env: { PUBLIC_CACHE_SECONDS: "0" } });
    const offApp = await startTestApp(off);
    try {
      const list = await fetch(`${offApp.baseUrl}/convocatorias`);
      expect(list.status).toBe(200);
      expect(list.headers.getSetCookie()).toEqual([]);

      const c = offApp.client();
      const login = await c.get("/login");
      const cookie = c.cookies.get("csrf")!;
      expect(cookie).toBeTruthy();
      const token = csrfTokenFor(off.config.sessionSecret, cookie);
      expect(login.html).toContain(`name="csrf" value="${token}"`);
      expect((await c.get("/convocatorias")).html).not.toContain(token);
    } finally {
      await offApp.close();
      await off.close();
    }
  });

  it("is emptied by a change in the HR office", async () => {
    const before = await visitor("/convocatorias?q=gamma");
    expect(before.page.html).not.toContain("Especialista Gamma");
    await makeConvocatoria(s, gestorId, { overrides: { puesto: "Especialista Gamma" } });
    expect((await visitor("/convocatorias?q=gamma")).page.html).not.toContain("Especialista Gamma");

    const gestor: TestClient = app.client();
    await signIn(s, gestor, { staffId: gestorId });
    await gestor.get("/admin/convocatorias/nueva");
    const refused = await gestor.post("/admin/convocatorias/nueva", { codigo: "" });
    expect(refused.status).toBe(422);

    expect((await visitor("/convocatorias?q=gamma")).page.html).toContain("Especialista Gamma");
  });

  it("never serves a signed-in visitor from it", async () => {
    await visitor("/convocatorias?q=delta");
    await makeConvocatoria(s, gestorId, { overrides: { puesto: "Asistente Delta" } });
    const p = await createPostulante(s);
    const c = app.client();
    await signIn(s, c, { postulanteId: p.id });
    const page = await c.get("/convocatorias?q=delta");
    expect(page.html).toContain("Asistente Delta");
    expect(page.headers.get("cache-control")).toBe("private, no-store");
  });

  it("keeps a feed's validator independent of the visitor's cookie", async () => {
    const a = await visitor("/convocatorias/feed.atom");
    const b = await visitor("/convocatorias/feed.atom");
    expect(a.page.status).toBe(200);
    expect(a.page.headers.get("etag")).toBe(b.page.headers.get("etag"));
    const again = await fetch(`${app.baseUrl}/convocatorias/feed.atom`, { headers: { "if-none-match": a.page.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("renders a page it does not keep once per request, and answers it with the visitor's own nonce", async () => {
    const loads = countLookups();
    for (let i = 1; i <= 3; i++) {
      const v = await visitor(`/convocatorias/${randomUUID()}`);
      expect(v.page.status).toBe(404);
      // The detail's loader looks the convocatoria up once per rendering.
      expect(loads).toHaveBeenCalledTimes(i);
      const nonce = nonceOf(v.page.headers.get("content-security-policy"));
      expect(new Set([...v.page.html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]))).toEqual(new Set([nonce]));
      expect(v.page.html).not.toMatch(/nonce[0-9a-f]{24}|csrf[0-9a-f]{24}/);
    }
  });

  it("keeps a page whose route declares it, rendered once for max-age", async () => {
    const { id } = await makeConvocatoria(s, gestorId, { overrides: { puesto: "Técnico Epsilon" } });
    const loads = countLookups();
    expect((await visitor(`/convocatorias/${id}`)).page.html).toContain("Técnico Epsilon");
    expect((await visitor(`/convocatorias/${id}`)).page.html).toContain("Técnico Epsilon");
    expect(loads).toHaveBeenCalledTimes(1);
  });

  it("never keeps the answer of a route that does not declare it, however public its headers", async () => {
    const { id } = await makeConvocatoria(s, gestorId, { overrides: { puesto: "Auxiliar Zeta" } });
    const loads = countLookups();
    for (let i = 1; i <= 2; i++) {
      const bases = await fetch(`${app.baseUrl}/convocatorias/${id}/bases`);
      expect(bases.status).toBe(200);
      expect(bases.headers.get("cache-control")).toBe("public, max-age=60");
      // Its ETag is the stored file's SHA-256: the bytes arrive intact.
      const sha256 = createHash("sha256").update(Buffer.from(await bases.arrayBuffer())).digest("hex");
      expect(bases.headers.get("etag")).toBe(`"${sha256}"`);
      expect(loads).toHaveBeenCalledTimes(i);
    }
  });
});
