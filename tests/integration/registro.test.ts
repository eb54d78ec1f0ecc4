import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountTokens, auditLog, loginThrottle, outbox, postulantes, sessions } from "~/db/schema";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";
import { startSmtpServer } from "../support/smtp";

/** The text of the message shown at a field, or null. */
function fieldError(html: string, name: string): string | null {
  const m = html.match(new RegExp(`id="campo-${name}-error"[^>]*>([\\s\\S]*?)</p>`));
  return m ? m[1]!.replace(/<[^>]+>/g, "").replace(/^Error: /, "").replace(/&#x27;/g, "'").trim() : null;
}
const options = (html: string, name: string) => {
  const select = html.match(new RegExp(`<select[^>]*name="${name}"[^>]*>([\\s\\S]*?)</select>`))?.[1] ?? "";
  return [...select.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
};

/** The page's <main>, where what it says lives (nonces and CSRF tokens differ per request outside it). */
const mainOf = (html: string) => html.match(/<main[\s\S]*<\/main>/)?.[0] ?? "";

const peruana = { nacionalidad: "PE", tipoDocumento: "DNI", numeroDocumento: "45871236" };
const datosPeruana = {
  nombres: "María José",
  apellidoPaterno: "Quispe",
  apellidoMaterno: "Mamani",
  fechaNacimiento: "1990-07-14",
  sexo: "F",
  email: "maria@example.pe",
  emailConfirmacion: "maria@example.pe",
  celular: "987 654 321",
  telefono: "",
  paisResidencia: "PE",
  direccion: "Av. Arequipa 123, dpto. 402",
  departamento: "15",
  provincia: "1501",
  distrito: "150122",
  password: "Lúcuma y 7 llamas",
  passwordConfirmacion: "Lúcuma y 7 llamas",
  consentimiento: "on",
};

describe("Crear nuevo usuario over HTTP (no JavaScript)", { timeout: 90_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url } });
    app = await startTestApp(s);
    // Vite compiles the route modules on first use: do it here, not inside the first test's time.
    const warm = app.client();
    await warm.get("/registro");
    await warm.post("/registro", peruana);
    await warm.get("/registro/datos");
    await warm.get("/verificar-correo");
  }, 180_000);
  afterAll(async () => {
    await app.close();
    await s.close();
    await smtp.close();
  });
  beforeEach(async () => {
    // Let a delivery still in flight from the last test land before the mailbox is emptied: wait
    // until the outbox has nothing left to send. (Counting "received + not yet marked sent"
    // counted twice a message the SMTP server had taken but the worker had not yet marked: on
    // PostgreSQL that window is real, and the wait ran out expecting a message that never came.)
    for (const end = Date.now() + 30_000; Date.now() < end && (await pendingMail()) > 0; ) {
      await s.mailWorker.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await pendingMail()).toBe(0);
    smtp.messages.length = 0;
    await s.db.delete(postulantes);
    await s.db.delete(outbox);
    // Every client comes from 127.0.0.1: each test starts with the registration allowance whole.
    await s.db.delete(loginThrottle);
  });

  async function pendingMail() {
    return (await s.db.select().from(outbox)).filter((m) => m.status !== "enviado").length;
  }
  async function paso1(c: TestClient, fields: Record<string, string>) {
    await c.get("/registro");
    return c.post("/registro", fields);
  }
  async function register(c: TestClient, p1: Record<string, string>, datos: Record<string, string>) {
    const r1 = await paso1(c, p1);
    expect(r1.status).toBe(302);
    await c.get("/registro/datos");
    return c.post("/registro/datos", datos);
  }
  /** The mail worker was kicked after the commit; drain and wait for the SMTP server to have `n` messages. */
  async function mails(n: number) {
    // Up to 30 s: on a loaded machine (CI beside other work) argon2 and the worker take their time.
    for (const end = Date.now() + 30_000; Date.now() < end && smtp.messages.length < n; ) {
      await s.mailWorker.drain();
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(smtp.messages).toHaveLength(n);
    return smtp.messages;
  }

  it("registers a Peruvian with DNI, asks her to check her mail, e-mails a link that verifies once and is refused the second time", async () => {
    const c = app.client();
    const page1 = await c.get("/registro");
    expect(page1.status).toBe(200);
    expect(page1.html).toContain("<h1>Crear nuevo usuario</h1>");
    for (const label of ["Nacionalidad", "Tipo de documento", "Número de documento", "Siguiente"]) expect(page1.html).toContain(label);
    // Without JavaScript all four types are offered.
    expect(options(page1.html, "tipoDocumento")).toEqual(["DNI", "CE", "PASAPORTE", "PTP"]);

    const r1 = await c.post("/registro", peruana);
    expect(r1.status).toBe(302);
    expect(r1.headers.get("location")).toBe("/registro/datos");
    const carried = r1.headers.getSetCookie().find((h) => h.startsWith("cas_registro="))!;
    expect(carried).toMatch(/HttpOnly/);
    expect(carried).not.toContain("45871236");

    const page2 = await c.get("/registro/datos");
    expect(page2.status).toBe(200);
    expect(page2.html).toContain("<h1>Registrar Datos de Usuario</h1>");
    expect(page2.html).toContain("45871236");
    expect(page2.html).toContain('href="/privacidad"');
    expect(page2.html).toMatch(/<input id="campo-fechaNacimiento"[^>]* type="date"[^>]*name="fechaNacimiento"/);

    const r2 = await c.post("/registro/datos", datosPeruana);
    expect(r2.status).toBe(302);
    expect(r2.headers.get("location")).toBe("/registro/bienvenida");
    // Nobody is signed in by registering (an existing account gets this same answer, issue 11).
    expect(c.cookies.has("cas_session")).toBe(false);
    expect(c.cookies.has("cas_registro")).toBe(false);

    const welcome = await c.get("/registro/bienvenida");
    expect(welcome.status).toBe(200);
    expect(welcome.html).toContain("<h1>Revise su correo</h1>");
    expect(welcome.html).toContain('href="/login"');

    const row = await s.db.query.postulantes.findFirst({ where: eq(postulantes.numeroDocumento, "45871236") });
    expect(row).toMatchObject({ celular: "987654321", ubigeo: "150122", apellidoMaterno: "Mamani", emailVerifiedAt: null });
    expect(await s.db.select().from(sessions).where(eq(sessions.postulanteId, row!.id))).toHaveLength(0);
    // The account works at once: she signs in with the document and the password she chose.
    await c.get("/login");
    const signedIn = await c.post("/login", { tipoDocumento: "DNI", numeroDocumento: "45871236", password: datosPeruana.password });
    expect(signedIn.status).toBe(302);

    const [mail] = await mails(1);
    expect(mail!.subject).toBe("Verifique su correo – CAS Online");
    expect((mail!.to as { text: string }).text).toBe("maria@example.pe");
    const link = mail!.text!.match(/(\S+\/verificar-correo\?token=([A-Za-z0-9_-]+))/)!;
    expect(link[1]!.startsWith(`${s.config.baseUrl}/verificar-correo?token=`)).toBe(true);
    const path = `/verificar-correo?token=${link[2]}`;

    // Opening the link (as a mail scanner would) changes nothing.
    const landing = await app.client().get(path);
    expect(landing.status).toBe(200);
    expect(landing.html).toContain("Verificar mi correo");
    expect(landing.headers.get("cache-control")).toContain("no-store");
    expect((await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, row!.id) }))!.emailVerifiedAt).toBeNull();

    const reader = app.client();
    await reader.get(path);
    const done = await reader.post("/verificar-correo", { token: link[2]! });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/verificar-correo?verificado=1");
    expect((await reader.get("/verificar-correo?verificado=1")).html).toContain("Su correo electrónico fue verificado");
    expect((await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, row!.id) }))!.emailVerifiedAt).not.toBeNull();

    const again = await reader.post("/verificar-correo", { token: link[2]! });
    expect(again.status).toBe(410);
    expect(again.html).toContain("El enlace no es válido o ya venció");
    expect((await reader.get(path)).status).toBe(410);
  });

  it("registers a foreigner with carnet de extranjería, without a second surname, living abroad", async () => {
    const c = app.client();
    const response = await register(
      c,
      { nacionalidad: "VE", tipoDocumento: "CE", numeroDocumento: "001234567" },
      {
        ...datosPeruana,
        nombres: "José Gregorio",
        apellidoPaterno: "Hernández",
        apellidoMaterno: "",
        sexo: "M",
        email: "JOSE@Example.com",
        emailConfirmacion: "jose@example.com",
        celular: "+58 412 1234567",
        paisResidencia: "VE",
        direccion: "Calle 5, Caracas",
        departamento: "",
        provincia: "",
        distrito: "",
      },
    );
    expect(response.status).toBe(302);
    const row = await s.db.query.postulantes.findFirst({ where: eq(postulantes.numeroDocumento, "001234567") });
    expect(row).toMatchObject({
      nacionalidad: "VE", tipoDocumento: "CE", apellidoMaterno: null, email: "jose@example.com", paisResidencia: "VE", ubigeo: null,
      celular: "+584121234567",
    });
    const [mail] = await mails(1);
    expect((mail!.to as { text: string }).text).toBe("jose@example.com");
  });

  it("answers a document or an e-mail that already has an account exactly as a new one, and mails the owner (issue 11)", async () => {
    const answerOf = async (r: Awaited<ReturnType<typeof register>>, c: TestClient) => ({
      status: r.status,
      location: r.headers.get("location"),
      cookies: r.headers.getSetCookie().map((h) => h.replace(/=[^;]*/, "=…")),
      page: mainOf((await c.get(r.headers.get("location")!)).html),
    });
    const first = app.client();
    const fresh = await answerOf(await register(first, peruana, datosPeruana), first);
    await mails(1);
    const before = { p: await s.db.select().from(postulantes), a: await s.db.select().from(auditLog) };

    const c1 = app.client();
    const sameDocument = await answerOf(
      await register(c1, peruana, { ...datosPeruana, email: "otra@example.pe", emailConfirmacion: "otra@example.pe" }),
      c1,
    );
    const c2 = app.client();
    const sameEmail = await answerOf(await register(c2, { ...peruana, numeroDocumento: "11223344" }, datosPeruana), c2);
    expect(sameDocument).toEqual(fresh);
    expect(sameEmail).toEqual(fresh);
    expect(fresh).toMatchObject({ status: 302, location: "/registro/bienvenida" });
    expect(await s.db.select().from(postulantes)).toHaveLength(before.p.length);

    // The owner hears of both attempts at the address on file; the typed address gets nothing.
    const received = (await mails(3)).slice(1);
    for (const m of received) {
      expect(m.subject).toBe("Intento de registro con sus datos – CAS Online");
      expect((m.to as { text: string }).text).toBe("maria@example.pe");
      expect(m.text).toContain(`${s.config.baseUrl}/recuperar-contrasena`);
    }
    expect(await s.db.select().from(auditLog)).toHaveLength(before.a.length + 2);
  });

  it("does not tell at step 1 whether a document has an account", async () => {
    expect((await register(app.client(), peruana, datosPeruana)).status).toBe(302);
    const strip = (html: string) => mainOf(html).replace(/value="[^"]*"/g, "").replace(/45871236|11223344/g, "N");
    const known = app.client();
    const unknown = app.client();
    const [a, b] = [await paso1(known, peruana), await paso1(unknown, { ...peruana, numeroDocumento: "11223344" })];
    expect([a.status, a.headers.get("location")]).toEqual([b.status, b.headers.get("location")]);
    expect(strip((await known.get("/registro/datos")).html)).toBe(strip((await unknown.get("/registro/datos")).html));
  });

  it("throttles a burst of registrations from one address with a 429 in Spanish (issue 11: 25 probes in 2.3 s)", async () => {
    const c = app.client();
    const statuses: number[] = [];
    for (let i = 0; i < 35; i++) {
      const r = await register(c, { ...peruana, numeroDocumento: String(60000000 + i) }, {
        ...datosPeruana,
        email: `sonda${i}@example.pe`,
        emailConfirmacion: `sonda${i}@example.pe`,
      });
      statuses.push(r.status);
      if (r.status === 429) {
        expect(r.html).toMatch(/Demasiados registros seguidos\. Espere \d+ segundos? antes de volver a intentarlo\./);
        break;
      }
    }
    expect(statuses.filter((st) => st === 302)).toHaveLength(30);
    expect(statuses.at(-1)).toBe(429);
  }, 300_000);

  it("fills provincias and then distritos without JavaScript, keeping what was typed and showing no errors", async () => {
    const c = app.client();
    await paso1(c, peruana);
    const start = await c.get("/registro/datos");
    expect(start.html).toContain("Actualizar provincias y distritos");
    expect(options(start.html, "departamento")).toContain("15");
    expect(options(start.html, "provincia")).toEqual([]);

    const typed = { ...datosPeruana, departamento: "15", provincia: "", distrito: "", _accion: "actualizar-ubigeo" };
    const step1 = await c.post("/registro/datos", typed);
    expect(step1.status).toBe(200);
    expect(options(step1.html, "provincia")).toContain("1501");
    expect(options(step1.html, "distrito")).toEqual([]);
    expect(step1.html).not.toContain("Revise los datos ingresados");
    expect(step1.html).toContain('value="María José"');
    expect(step1.html).toContain('value="Av. Arequipa 123, dpto. 402"');
    expect(step1.html).not.toContain("Lúcuma y 7 llamas");

    const step2 = await c.post("/registro/datos", { ...typed, provincia: "1501" });
    expect(options(step2.html, "distrito")).toContain("150122");
    expect(step2.html).toMatch(/<option value="1501" selected="">/);

    // A new departamento drops the old provincia's districts.
    const step3 = await c.post("/registro/datos", { ...typed, departamento: "04", provincia: "1501" });
    expect(options(step3.html, "provincia")).toContain("0401");
    expect(options(step3.html, "distrito")).toEqual([]);
    expect(await s.db.select().from(postulantes)).toHaveLength(0);
  });

  it("serves the cascade's options as JSON for the browser with JavaScript", async () => {
    const provincias = await fetch(`${app.baseUrl}/ubigeo?departamento=15`);
    expect(provincias.status).toBe(200);
    expect(await provincias.json()).toContainEqual({ value: "1501", label: "LIMA" });
    const distritos = (await (await fetch(`${app.baseUrl}/ubigeo?provincia=1501`)).json()) as { value: string }[];
    expect(distritos.map((d) => d.value)).toContain("150122");
    expect((await fetch(`${app.baseUrl}/ubigeo?departamento=<script>`)).status).toBe(400);
  });

  it("refuses a Peruvian with Pasaporte, and a foreigner with DNI, at step 1", async () => {
    const c = app.client();
    const r = await paso1(c, { nacionalidad: "PE", tipoDocumento: "PASAPORTE", numeroDocumento: "AB123456" });
    expect(r.status).toBe(422);
    expect(fieldError(r.html, "tipoDocumento")).toBe("Si su nacionalidad es peruana, regístrese con su DNI.");
    expect(r.html).toContain("Revise los datos ingresados");
    expect(c.cookies.has("cas_registro")).toBe(false);
    const f = await paso1(app.client(), { nacionalidad: "CO", tipoDocumento: "DNI", numeroDocumento: "12345678" });
    expect(f.status).toBe(422);
    expect(fieldError(f.html, "tipoDocumento")).toMatch(/El DNI es solo para peruanos/);
    const short = await paso1(app.client(), { nacionalidad: "PE", tipoDocumento: "DNI", numeroDocumento: "1234567" });
    expect(fieldError(short.html, "numeroDocumento")).toBe("El DNI debe tener exactamente 8 dígitos.");
  });

  it("applies the password rules at the field and never echoes a password", async () => {
    const c = app.client();
    await paso1(c, peruana);
    await c.get("/registro/datos");
    const cases: [Record<string, string>, string, string][] = [
      [{ password: "password1", passwordConfirmacion: "password1" }, "password", "Esa contraseña es muy común y fácil de adivinar. Elija otra."],
      [{ password: "mi45871236clave", passwordConfirmacion: "mi45871236clave" }, "password", "La contraseña no debe contener su número de documento."],
      [{ password: "Lima14071990", passwordConfirmacion: "Lima14071990" }, "password", "La contraseña no debe contener su fecha de nacimiento."],
      [{ password: "corta1", passwordConfirmacion: "corta1" }, "password", "La contraseña debe tener al menos 8 caracteres."],
      [{ password: "soloLetrasAqui", passwordConfirmacion: "soloLetrasAqui" }, "password", "La contraseña debe tener letras y números."],
      [{ passwordConfirmacion: "Lúcuma y 8 llamas" }, "passwordConfirmacion", "Las contraseñas no coinciden."],
    ];
    for (const [fields, field, message] of cases) {
      const r = await c.post("/registro/datos", { ...datosPeruana, ...fields });
      expect(r.status).toBe(422);
      expect(fieldError(r.html, field)).toBe(message);
      for (const value of Object.values(fields)) expect(r.html).not.toContain(`value="${value}"`);
    }
    // 64 characters and any symbol are fine.
    const long = "ñandú 7 ".repeat(8);
    expect((await c.post("/registro/datos", { ...datosPeruana, password: long, passwordConfirmacion: long })).status).toBe(302);
  });

  it("shows every step-2 problem at its field and in the summary, keeping what was typed", async () => {
    const c = app.client();
    await paso1(c, peruana);
    await c.get("/registro/datos");
    const r = await c.post("/registro/datos", {
      ...datosPeruana, nombres: "<b>Ana</b>", emailConfirmacion: "otra@example.pe", fechaNacimiento: "2015-01-01",
      consentimiento: "", distrito: "",
    });
    expect(r.status).toBe(422);
    expect(fieldError(r.html, "nombres")).toBe("Use solo letras, espacios, apóstrofos o guiones.");
    expect(fieldError(r.html, "emailConfirmacion")).toBe("Los correos electrónicos no coinciden.");
    expect(fieldError(r.html, "fechaNacimiento")).toMatch(/mayor de 18/);
    expect(fieldError(r.html, "distrito")).toBe("Seleccione el distrito.");
    expect(fieldError(r.html, "consentimiento")).toMatch(/Debe aceptar/);
    expect(r.html).toContain('href="#campo-nombres"');
    expect(r.html).toContain('value="&lt;b&gt;Ana&lt;/b&gt;"');
    expect(await s.db.select().from(postulantes)).toHaveLength(0);
  });

  it("sends step 2 back to step 1 without a valid step-1 cookie (missing, forged or expired)", async () => {
    const c = app.client();
    expect((await c.get("/registro/datos")).headers.get("location")).toBe("/registro");
    await paso1(c, peruana);
    const value = c.cookies.get("cas_registro")!;
    c.cookies.set("cas_registro", value.replace(/.(?=\.)/, (ch) => (ch === "A" ? "B" : "A")));
    expect((await c.get("/registro/datos")).headers.get("location")).toBe("/registro");
    c.cookies.set("cas_registro", value);
    s.clock.advance(31 * 60 * 1000);
    try {
      expect((await c.post("/registro/datos", datosPeruana)).headers.get("location")).toBe("/registro");
    } finally {
      s.clock.advance(-31 * 60 * 1000);
    }
    expect(await s.db.select().from(postulantes)).toHaveLength(0);
  });

  it("keeps the document number out of every URL of the journey", async () => {
    const c = app.client();
    const locations: string[] = [];
    const r1 = await paso1(c, peruana);
    locations.push(r1.headers.get("location") ?? "");
    await c.get("/registro/datos");
    const r2 = await c.post("/registro/datos", datosPeruana);
    locations.push(r2.headers.get("location") ?? "");
    for (const l of locations) {
      expect(l).not.toContain("45871236");
      expect(l).not.toContain("maria");
    }
    const tokens = await s.db.select().from(accountTokens).where(and(eq(accountTokens.kind, "verificar_email")));
    expect(tokens).toHaveLength(1);
  });

  it("leads a visitor who chose \"Crear nuevo usuario\" on the way to POSTULAR back there, and nowhere else", async () => {
    const destino = "/postulacion/2f7d1c1e-8a43-4b8e-9d5e-0a1b2c3d4e5f";
    const c = app.client();
    const login = await c.get(`/login?redirectTo=${encodeURIComponent(destino)}`);
    expect(login.html).toContain(`href="/registro?redirectTo=${encodeURIComponent(destino)}"`);
    const page1 = await c.get(`/registro?redirectTo=${encodeURIComponent(destino)}`);
    expect(page1.html).toContain(`name="redirectTo" value="${destino}"`);
    const r1 = await c.post("/registro", { ...peruana, redirectTo: destino });
    expect(r1.headers.get("location")).toBe(`/registro/datos?redirectTo=${encodeURIComponent(destino)}`);
    const page2 = await c.get(r1.headers.get("location")!);
    expect(page2.html).toContain(`name="redirectTo" value="${destino}"`);
    const r2 = await c.post("/registro/datos", { ...datosPeruana, redirectTo: destino });
    expect(r2.status).toBe(302);
    expect(r2.headers.get("location")).toBe(`/registro/bienvenida?redirectTo=${encodeURIComponent(destino)}`);
    const bienvenida = await c.get(r2.headers.get("location")!);
    expect(bienvenida.html).toMatch(new RegExp(`<a[^>]*href="/login\\?redirectTo=${encodeURIComponent(destino)}"[^>]*>Ingresar</a>`));

    // Another site is never a destination.
    const other = app.client();
    const evil = await other.get("/registro?redirectTo=%2F%2Fevil.example%2F");
    expect(evil.html).not.toContain('name="redirectTo"');
    const forged = await other.post("/registro", { ...peruana, numeroDocumento: "41234567", redirectTo: "https://evil.example/" });
    expect(forged.headers.get("location")).toBe("/registro/datos");
  });
});
