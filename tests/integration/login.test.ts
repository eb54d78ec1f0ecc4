import { desc, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loginThrottle, outbox } from "~/db/schema";
import { POSTULANTE_CREDENTIALS_MESSAGE } from "~/features/accounts/login-postulante.server";
import { STAFF_CREDENTIALS_MESSAGE } from "~/features/accounts/login-staff.server";
import { RESET_REQUESTED_MESSAGE } from "~/features/accounts/request-password-reset.server";
import { cookieName } from "~/web/cookies.server";
import { createPostulante, createStaff, verifyClientSessionForTests, type TestPostulante } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

const MIN = 60 * 1000;

describe("signing in and out over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let SESSION: string;
  beforeAll(async () => {
    s = await createTestServices({ env: { BASE_URL: "https://cas.entidad.test" } });
    app = await startTestApp(s);
    SESSION = cookieName("cas_session", s.config.secureCookies);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });
  // Every test client comes from 127.0.0.1: start each test with a clean slate.
  beforeEach(async () => {
    await s.db.delete(loginThrottle);
  });

  const login = (c: TestClient, p: TestPostulante, password = p.password, extra: Record<string, string> = {}) =>
    c.post("/login", { tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, password, ...extra });
  const errorSummary = (html: string) => html.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0];
  /** Is this browser's session alive? ("Seguir conectado" answers 200 or 401.) */
  const alive = async (c: TestClient) => (await c.post("/sesion/renovar", {})).status === 200;
  /** Another browser holding a copy of `c`'s session cookie. */
  const copyOf = (c: TestClient) => {
    const other = app.client();
    other.cookies.set(SESSION, c.cookies.get(SESSION)!);
    return other;
  };

  it("signs an applicant in: a session cookie (HttpOnly, SameSite=Lax) and a redirect to Mi Perfil", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await c.get("/login");
    const res = await login(c, p);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/mi-perfil");
    const cookie = res.headers.getSetCookie().find((l) => l.startsWith(`${SESSION}=`))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=43200/);
    const home = await c.get("/");
    expect(home.html).toContain("Salir");
    expect(await alive(c)).toBe(true);
  });

  it("accepts the number with spaces or hyphens and in lower case", async () => {
    const p = await createPostulante(s, { tipoDocumento: "PASAPORTE", numeroDocumento: "AB123456", nacionalidad: "CO" });
    const res = await login(app.client(), { ...p, numeroDocumento: " ab-123 456 " });
    expect(res.status).toBe(302);
  });

  it("goes back to the page that asked for sign-in, and never to another site", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    const page = await c.get("/login?redirectTo=%2Fconvocatorias%2F7");
    expect(page.html).toContain('name="redirectTo" value="/convocatorias/7"');
    expect((await login(c, p, p.password, { redirectTo: "/convocatorias/7" })).headers.get("location")).toBe("/convocatorias/7");
    for (const evil of ["//evil.example", "https://evil.example", "/\t/evil.example"]) {
      expect((await login(app.client(), p, p.password, { redirectTo: evil })).headers.get("location")).toBe("/mi-perfil");
    }
  });

  it("rotates the session at sign-in: the cookie value changes and the old session is gone", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await login(c, p);
    const before = c.cookies.get(SESSION)!;
    const stale = copyOf(c);
    await c.get("/");
    await login(c, p);
    const after = c.cookies.get(SESSION)!;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    expect(await alive(c)).toBe(true);
    expect(await alive(stale)).toBe(false);
  });

  it("answers a wrong number and a wrong password with the same status and the same message", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    const wrongNumber = await login(c, { ...p, numeroDocumento: "99999998" });
    const wrongPassword = await login(c, p, "Otra-clave-2026");
    expect(wrongNumber.status).toBe(401);
    expect(wrongPassword.status).toBe(wrongNumber.status);
    expect(errorSummary(wrongNumber.html)).toBeDefined();
    expect(errorSummary(wrongPassword.html)).toBe(errorSummary(wrongNumber.html));
    expect(wrongPassword.html).toContain(POSTULANTE_CREDENTIALS_MESSAGE);
    // What was typed is kept, the password is not.
    expect(wrongPassword.html).toContain(`value="${p.numeroDocumento}"`);
    expect(wrongPassword.html).not.toContain("Otra-clave-2026");
    expect(c.cookies.has(SESSION)).toBe(false);
  });

  it("shows field errors with 422 for an empty form, nothing else done", async () => {
    const res = await app.client().post("/login", { tipoDocumento: "", numeroDocumento: "", password: "" });
    expect(res.status).toBe(422);
    expect(res.html).toContain("Seleccione el tipo de documento.");
    expect(res.html).toContain("Ingrese su número de documento.");
    expect(res.html).toContain("Ingrese su contraseña.");
    expect(await s.db.select().from(loginThrottle)).toHaveLength(0);
  });

  it("throttles after five free failures with a 429 saying how long to wait, then lets the right password in", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    for (let i = 0; i < 5; i++) expect((await login(c, p, `mala-${i}-clave`)).status).toBe(401);
    const blocked = await login(c, p);
    expect(blocked.status).toBe(429);
    expect(blocked.html).toContain("Demasiados intentos fallidos. Por seguridad, espere 1 segundo antes de volver a intentarlo.");
    expect(c.cookies.has(SESSION)).toBe(false);
    s.clock.advance(1000);
    expect((await login(c, p)).status).toBe(302);
  });

  it("answers a burst of 100 parallel wrong passwords with at most five 401s, and still lets the owner's browser in (issue 11)", async () => {
    const p = await createPostulante(s);
    const owner = app.client();
    await owner.get("/login");
    const first = await login(owner, p);
    const device = first.headers.getSetCookie().find((l) => l.startsWith(`${cookieName("cas_dispositivo", true)}=`));
    expect(device).toMatch(/HttpOnly/);
    expect(device).toMatch(/Secure/);
    expect(device).toMatch(/Max-Age=15552000/);
    const admin = await createStaff(s, "administrador");
    const member = app.client();
    await member.get("/admin/login");
    expect((await member.post("/admin/login", { email: admin.email, password: admin.password })).status).toBe(302);
    const attacker = app.client();
    await attacker.get("/login");
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => login(attacker, p, `mala-${i}-clave`)));
    expect(answers.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect(answers.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(95);
    // Same IP (127.0.0.1), right password: a stranger's browser waits, the owner's is let in.
    const stranger = app.client();
    await stranger.get("/login");
    expect((await login(stranger, p)).status).toBe(429);
    expect((await login(owner, p)).status).toBe(302);
    // Staff sign-in, same rule.
    const burst = await Promise.all(
      Array.from({ length: 100 }, (_, i) => attacker.post("/admin/login", { email: admin.email, password: `mala-${i}` })),
    );
    expect(burst.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
    expect((await stranger.post("/admin/login", { email: admin.email, password: admin.password })).status).toBe(429);
    expect((await member.post("/admin/login", { email: admin.email, password: admin.password })).status).toBe(302);
  });

  it("refuses a sign-in without its CSRF token (403), even with the right password", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await c.get("/login");
    const res = await c.post("/login", { tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento, password: p.password }, { csrf: null });
    expect(res.status).toBe(403);
    expect(c.cookies.has(SESSION)).toBe(false);
    const forged = await c.post("/login", { tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento, password: p.password }, { csrf: "x".repeat(43) });
    expect(forged.status).toBe(403);
  });

  it("signs out only by a POST with its CSRF token: the row is deleted and the cookie cleared", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await login(c, p);
    await c.get("/");
    const stale = copyOf(c);
    expect((await c.get("/logout")).status).toBe(200); // a page with the button: a GET changes nothing
    expect(await alive(c)).toBe(true);
    expect((await c.post("/logout", {}, { csrf: null })).status).toBe(403);
    expect(await alive(c)).toBe(true);
    const out = await c.post("/logout", {});
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/");
    expect(out.headers.getSetCookie().some((l) => l.startsWith(`${SESSION}=;`) && /Max-Age=0/.test(l))).toBe(true);
    expect(c.cookies.has(SESSION)).toBe(false);
    expect(await alive(stale)).toBe(false);
  });

  describe("session upkeep", () => {
    it("ends a session after 30 idle minutes; activity and 'Seguir conectado' keep it", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await login(c, p);
      s.clock.advance(29 * MIN);
      expect((await c.get("/")).html).toContain("Salir");
      s.clock.advance(29 * MIN);
      const renewed = await c.post("/sesion/renovar", {});
      expect(renewed.status).toBe(200);
      expect(JSON.parse(renewed.html)).toEqual({ ok: true });
      s.clock.advance(30 * MIN + 1000);
      const expired = await c.post("/sesion/renovar", {});
      expect(expired.status).toBe(401);
      expect(JSON.parse(expired.html)).toEqual({ ok: false });
      expect((await c.get("/")).html).not.toContain(">Salir<");
    });

    it("'Seguir conectado' restarts the idle clock even right after a page view", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await login(c, p);
      s.clock.advance(29 * MIN + 30_000);
      await c.get("/"); // touches lastSeenAt
      s.clock.advance(30_000); // within the minute readSession does not write again
      expect(await alive(c)).toBe(true);
      s.clock.advance(29 * MIN + 30_000); // 29.5 min after the page view and only 29 after "Seguir conectado"
      expect(await alive(c)).toBe(true);
    });

    it("ends a session 12 hours after sign-in however active", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await login(c, p);
      for (let t = 25; t < 12 * 60; t += 25) {
        s.clock.advance(25 * MIN);
        expect(await alive(c), `at ${t} min`).toBe(true);
      }
      s.clock.advance(25 * MIN);
      expect(await alive(c)).toBe(false);
    });

    it("refuses 'Seguir conectado' without CSRF, and GET", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await login(c, p);
      expect((await c.post("/sesion/renovar", {}, { csrf: null })).status).toBe(403);
      expect((await c.get("/sesion/renovar")).status).toBe(405);
    });
  });

  describe("password recovery", () => {
    async function askLink(c: TestClient, p: TestPostulante) {
      await c.get("/recuperar-contrasena");
      const res = await c.post("/recuperar-contrasena", { tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento });
      expect(res.status).toBe(302);
      const [mail] = await s.db.select().from(outbox).where(like(outbox.causeKey, "restablecer:%")).orderBy(desc(outbox.id)).limit(1);
      expect(mail!.to).toBe(p.email);
      const path = mail!.text.match(/https:\/\/cas\.entidad\.test(\/restablecer-contrasena\?token=\S+)/)![1]!;
      return path;
    }

    it("answers the same neutral message whether or not the account exists", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await c.get("/recuperar-contrasena");
      const known = await c.post("/recuperar-contrasena", { tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento });
      const unknown = await c.post("/recuperar-contrasena", { tipoDocumento: "DNI", numeroDocumento: "11111119" });
      expect(known.status).toBe(302);
      expect(unknown.status).toBe(known.status);
      expect(unknown.headers.get("location")).toBe(known.headers.get("location"));
      const page = await c.get(known.headers.get("location")!);
      expect(page.html).toContain(RESET_REQUESTED_MESSAGE);
    });

    it("resets the password once through the e-mailed link, ends every session, and sends the person to sign in", async () => {
      const p = await createPostulante(s);
      const elsewhere = app.client();
      await login(elsewhere, p);
      expect(await alive(elsewhere)).toBe(true);

      const c = app.client();
      const link = await askLink(c, p);
      const form = await c.get(link);
      expect(form.status).toBe(200);
      expect(form.headers.get("cache-control")).toBe("no-store");
      expect(form.html).toContain('<meta name="referrer" content="same-origin"/>');
      expect(form.html).toContain("Nueva contraseña");
      expect(form.html).toContain("Confirmar contraseña");
      const token = form.html.match(/name="token" value="([^"]+)"/)![1]!;

      const mismatch = await c.post(link, { token, password: "Nueva-clave-2027", passwordConfirm: "Nueva-clave-2028" });
      expect(mismatch.status).toBe(422);
      expect(mismatch.html).toContain("Las contraseñas no coinciden.");
      const weak = await c.post(link, { token, password: `x${p.numeroDocumento}`, passwordConfirm: `x${p.numeroDocumento}` });
      expect(weak.status).toBe(422);
      expect(weak.html).toContain("La contraseña no debe contener su número de documento.");

      const done = await c.post(link, { token, password: "Nueva-clave-2027", passwordConfirm: "Nueva-clave-2027" });
      expect(done.status).toBe(302);
      expect(done.headers.get("location")).toBe("/login?aviso=contrasena-restablecida");
      expect((await c.get("/login?aviso=contrasena-restablecida")).html).toContain("Su contraseña fue cambiada");
      expect(await alive(elsewhere)).toBe(false);

      const again = await c.post(link, { token, password: "Otra-clave-2029", passwordConfirm: "Otra-clave-2029" });
      expect(again.status).toBe(410);
      expect(again.html).toContain("El enlace ya no es válido");
      expect((await c.get(link)).status).toBe(410);

      expect((await login(app.client(), p)).status).toBe(401);
      expect((await login(app.client(), p, "Nueva-clave-2027")).status).toBe(302);
    });

    it("lets a link expire after 30 minutes (410 with a way to ask again)", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      const link = await askLink(c, p);
      s.clock.advance(29 * MIN);
      expect((await c.get(link)).status).toBe(200);
      s.clock.advance(1 * MIN);
      const expired = await c.get(link);
      expect(expired.status).toBe(410);
      expect(expired.html).toContain('href="/recuperar-contrasena"');
      const token = decodeURIComponent(link.split("token=")[1]!);
      const post = await c.post("/restablecer-contrasena", { token, password: "Nueva-clave-2027", passwordConfirm: "Nueva-clave-2027" });
      expect(post.status).toBe(410);
    });

    it("rate-limits requests per account with a 429", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await c.get("/recuperar-contrasena");
      for (let i = 0; i < 3; i++) {
        expect((await c.post("/recuperar-contrasena", { tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento })).status).toBe(302);
      }
      const limited = await c.post("/recuperar-contrasena", { tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento });
      expect(limited.status).toBe(429);
      expect(limited.html).toContain("Demasiadas solicitudes. Espere 1 segundo");
    });
  });

  describe("staff", () => {
    it("signs staff in at /admin/login and shows the dashboard with the sections of their role", async () => {
      const admin = await createStaff(s, "administrador", { nombre: "Ana Torres" });
      const c = app.client();
      expect((await c.get("/admin/login")).status).toBe(200);
      const res = await c.post("/admin/login", { email: admin.email.toUpperCase(), password: admin.password });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/admin");
      // Administrador and gestor then pass the second factor (issue 5); here it is marked done.
      await verifyClientSessionForTests(s, c);
      const page = await c.get("/admin");
      expect(page.status).toBe(200);
      expect(page.html).toContain("Ana Torres");
      expect(page.html).toContain("Administrador");
      for (const href of ["/admin/convocatorias", "/admin/declaraciones-juradas", "/admin/personal"]) expect(page.html).toContain(`href="${href}"`);

      const gestor = await createStaff(s, "gestor");
      const g = app.client();
      await g.post("/admin/login", { email: gestor.email, password: gestor.password });
      await verifyClientSessionForTests(s, g);
      const gp = await g.get("/admin");
      expect(gp.html).toContain('href="/admin/convocatorias"');
      expect(gp.html).not.toContain('href="/admin/personal"');
      expect(gp.html).not.toContain('href="/admin/declaraciones-juradas"');

      const evaluador = await createStaff(s, "evaluador");
      const e = app.client();
      await e.post("/admin/login", { email: evaluador.email, password: evaluador.password });
      const ep = await e.get("/admin");
      expect(ep.status).toBe(200);
      expect(ep.html).not.toContain('href="/admin/convocatorias"');
    });

    it("refuses a disabled staff member with the generic message", async () => {
      const ex = await createStaff(s, "gestor", { disabledAt: s.clock.now() });
      const c = app.client();
      const disabled = await c.post("/admin/login", { email: ex.email, password: ex.password });
      const wrong = await c.post("/admin/login", { email: ex.email, password: "Otra-clave-2026" });
      expect(disabled.status).toBe(401);
      expect(wrong.status).toBe(401);
      expect(errorSummary(disabled.html)).toBe(errorSummary(wrong.html));
      expect(disabled.html).toContain(STAFF_CREDENTIALS_MESSAGE);
      expect(c.cookies.has(SESSION)).toBe(false);
    });

    it("gives an applicant 403 on /admin and sends the anonymous to /admin/login", async () => {
      const p = await createPostulante(s);
      const c = app.client();
      await login(c, p);
      expect((await c.get("/admin")).status).toBe(403);
      const anon = await app.client().get("/admin");
      expect(anon.status).toBe(302);
      expect(anon.headers.get("location")).toBe("/admin/login?redirectTo=%2Fadmin");
    });

    it("does not let an applicant's password open the staff sign-in, nor staff the applicant one", async () => {
      const admin = await createStaff(s, "administrador");
      const res = await app.client().post("/login", { tipoDocumento: "DNI", numeroDocumento: admin.email, password: admin.password });
      expect(res.status).toBe(422);
    });

    it("signs staff out at /admin/logout (POST with CSRF)", async () => {
      const admin = await createStaff(s, "administrador");
      const c = app.client();
      await c.post("/admin/login", { email: admin.email, password: admin.password });
      await verifyClientSessionForTests(s, c);
      expect((await c.get("/admin")).status).toBe(200);
      expect((await c.post("/admin/logout", {}, { csrf: null })).status).toBe(403);
      const out = await c.post("/admin/logout", {});
      expect(out.status).toBe(302);
      expect(out.headers.get("location")).toBe("/admin/login");
      expect((await c.get("/admin")).status).toBe(302);
    });
  });
});
