import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountTokens, auditLog, loginThrottle, outbox, postulantes, sessions } from "~/db/schema";
import { cookieName } from "~/web/cookies.server";
import { createSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { createPostulante, type TestPostulante } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/** Mi Perfil over real HTTP with the no-JS client (seed 2.1.7, issue 2). */
describe("Mi Perfil", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let p: TestPostulante;
  let client: TestClient;
  let token: string;

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  /** A browser signed in as `who` (a session made directly, as the login page would). */
  async function signedIn(who: { id: string }) {
    const c = app.client();
    const t = await createSession(s.db, { postulanteId: who.id }, s.clock.now());
    c.cookies.set(cookieName("cas_session", s.config.secureCookies), t);
    await c.get("/mi-perfil");
    return { c, t };
  }

  /** The contact form as the page shows it for the stored row, with `changes` applied. */
  function contacto(row: TestPostulante, changes: Record<string, string> = {}) {
    return {
      intent: "contacto",
      email: row.email,
      celular: row.celular,
      telefono: row.telefono ?? "",
      paisResidencia: row.paisResidencia,
      direccion: row.direccion,
      departamento: row.ubigeo?.slice(0, 2) ?? "",
      provincia: row.ubigeo?.slice(0, 4) ?? "",
      distrito: row.ubigeo ?? "",
      ...changes,
    };
  }

  const row = async (id: string) => (await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, id) }))!;
  const audits = (id: string, event: string) =>
    s.db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.event, event))).orderBy(desc(auditLog.id));

  beforeEach(async () => {
    p = await createPostulante(s, { numeroDocumento: String(10_000_000 + Math.floor(Math.random() * 89_999_999)) });
    ({ c: client, t: token } = await signedIn(p));
  });

  it("sends an anonymous visitor to the login page", async () => {
    const res = await app.client().get("/mi-perfil");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?redirectTo=%2Fmi-perfil");
  });

  it("shows the identity fields as text, not as inputs, and says whom to ask for a correction", async () => {
    const res = await client.get("/mi-perfil");
    expect(res.status).toBe(200);
    expect(res.html).toContain("<h1>Mi Perfil</h1>");
    expect(res.html).toContain("<title>Mi Perfil · CAS Online</title>");
    for (const text of ["Peruana", `DNI ${p.numeroDocumento}`, "Rosa María", "Quispe", "Huamán", "17/05/1990", "Femenino"]) {
      expect(res.html).toContain(`<dd>${text}</dd>`);
    }
    for (const name of ["nombres", "apellidoPaterno", "apellidoMaterno", "fechaNacimiento", "sexo", "numeroDocumento", "tipoDocumento", "nacionalidad"]) {
      expect(res.html).not.toContain(`name="${name}"`);
    }
    expect(res.html).toContain("Oficina de Recursos Humanos");
    // The editable ones are inputs, with the stored values.
    expect(res.html).toMatch(new RegExp(`name="celular"[^>]*value="${p.celular}"`));
    expect(res.html).toContain("Guardar cambios");
  });

  it("ignores identity fields in a post: names, document and birth date stay as they were", async () => {
    const res = await client.post("/mi-perfil", {
      ...contacto(p, { celular: "912000111" }),
      nombres: "Impostor",
      apellidoPaterno: "X",
      apellidoMaterno: "Y",
      numeroDocumento: "99999999",
      tipoDocumento: "CE",
      nacionalidad: "VE",
      fechaNacimiento: "1950-01-01",
      sexo: "M",
    });
    expect(res.status).toBe(302);
    const after = await row(p.id);
    expect(after).toMatchObject({
      nombres: p.nombres,
      apellidoPaterno: p.apellidoPaterno,
      apellidoMaterno: p.apellidoMaterno,
      numeroDocumento: p.numeroDocumento,
      tipoDocumento: p.tipoDocumento,
      nacionalidad: p.nacionalidad,
      fechaNacimiento: p.fechaNacimiento,
      sexo: p.sexo,
      celular: "912000111",
    });
    const [a] = await audits(p.id, "postulante.perfil_actualizado");
    expect(a!.details).toEqual({ fields: ["celular"] });
  });

  it("saves a changed celular, audits which field changed (never the value) and comes back with a notice", async () => {
    const res = await client.post("/mi-perfil", contacto(p, { celular: "987 111 222" }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/mi-perfil?guardado=1");
    expect((await row(p.id)).celular).toBe("987111222");
    const [a] = await audits(p.id, "postulante.perfil_actualizado");
    expect(a).toMatchObject({ actorType: "postulante", actorId: p.id, details: { fields: ["celular"] } });
    expect(JSON.stringify(a!.details)).not.toContain("987111222");
    const page = await client.get(res.headers.get("location")!);
    expect(page.html).toContain("Sus datos de contacto fueron guardados.");
    expect(page.html).toMatch(/name="celular"[^>]*value="987111222"/);
  });

  it("writes nothing and audits nothing when nothing changed", async () => {
    const res = await client.post("/mi-perfil", contacto(p));
    expect(res.headers.get("location")).toBe("/mi-perfil?sincambios=1");
    expect(await audits(p.id, "postulante.perfil_actualizado")).toHaveLength(0);
    expect((await row(p.id)).updatedAt).toEqual(p.updatedAt);
  });

  it("a new e-mail loses its verification and gets a verification link; the old address is told", async () => {
    const res = await client.post("/mi-perfil", contacto(p, { email: "  Nuevo.Correo@Ejemplo.PE ", passwordCorreo: p.password }));
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/mi-perfil?correo=1");
    const after = await row(p.id);
    expect(after.email).toBe("nuevo.correo@ejemplo.pe");
    expect(after.emailVerifiedAt).toBeNull();
    const mails = await s.db.select().from(outbox).where(eq(outbox.to, "nuevo.correo@ejemplo.pe"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).toMatch(/\/verificar-correo\?token=/);
    const tokens = await s.db.select().from(accountTokens).where(eq(accountTokens.postulanteId, p.id));
    expect(tokens).toHaveLength(2);
    expect(tokens).toContainEqual(expect.objectContaining({ kind: "verificar_email", email: "nuevo.correo@ejemplo.pe" }));
    expect(tokens).toContainEqual(expect.objectContaining({ kind: "deshacer_cambio_email", email: p.email }));
    expect(await s.db.select().from(outbox).where(eq(outbox.to, p.email))).toHaveLength(1);
    const [a] = await audits(p.id, "postulante.perfil_actualizado");
    expect(a!.details).toEqual({ fields: ["email"] });
    const page = await client.get("/mi-perfil?correo=1");
    expect(page.html).toContain("Su correo electrónico no está verificado.");
  });

  it("refuses an e-mail that belongs to another account with one neutral 409 message, saving nothing", async () => {
    const other = await createPostulante(s);
    const res = await client.post("/mi-perfil", contacto(p, { email: other.email, celular: "955444333", passwordCorreo: p.password }));
    expect(res.status).toBe(409);
    expect(res.html).toContain("Ese correo electrónico no se puede usar para esta cuenta. Ingrese otro.");
    expect(res.html).toMatch(/name="celular"[^>]*value="955444333"/); // what was typed is kept
    const after = await row(p.id);
    expect(after.email).toBe(p.email);
    expect(after.celular).toBe(p.celular);
    expect(await s.db.select().from(outbox).where(eq(outbox.to, other.email))).toHaveLength(0);
  });

  it("answers bad input with 422, messages at the fields and in the summary, typed values kept, nothing saved", async () => {
    const res = await client.post("/mi-perfil", contacto(p, { celular: "12345", direccion: "Jr. <b>Uno</b>", email: "no-es-correo" }));
    expect(res.status).toBe(422);
    expect(res.html).toContain("Revise los datos ingresados");
    expect(res.html).toContain("Ingrese un celular de 9 dígitos");
    expect(res.html).toContain("Ingrese un correo electrónico válido");
    expect(res.html).toMatch(/name="celular"[^>]*value="12345"/);
    expect(res.html).toContain("Jr. &lt;b&gt;Uno&lt;/b&gt;");
    expect(await row(p.id)).toMatchObject({ celular: p.celular, email: p.email });
  });

  it("requires a real district for an address in Peru, and stores none for an address abroad", async () => {
    const bad = await client.post("/mi-perfil", contacto(p, { departamento: "15", provincia: "1501", distrito: "150199" }));
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Seleccione su distrito.");
    const abroad = await client.post("/mi-perfil", contacto(p, { paisResidencia: "CL", direccion: "Av. Providencia 100, Santiago" }));
    expect(abroad.status).toBe(302);
    expect(await row(p.id)).toMatchObject({ paisResidencia: "CL", ubigeo: null });
    const [a] = await audits(p.id, "postulante.perfil_actualizado");
    expect((a!.details as { fields: string[] }).fields.sort()).toEqual(["direccion", "paisResidencia", "ubigeo"]);
  });

  it("without JavaScript, 'Actualizar provincias y distritos' shows the next options, keeps what was typed, and shows no error", async () => {
    const page = await client.get("/mi-perfil");
    expect(page.html).toContain("Actualizar provincias y distritos");
    const res = await client.post("/mi-perfil", {
      ...contacto(p, { celular: "9", departamento: "04", provincia: "", distrito: "" }),
      intent: "",
      _accion: "actualizar-ubigeo",
    });
    expect(res.status).toBe(200);
    expect(res.html).toContain('<option value="0401">AREQUIPA</option>');
    expect(res.html).not.toContain("Revise los datos ingresados");
    expect(res.html).toMatch(/name="celular"[^>]*value="9"/);
    expect((await row(p.id)).celular).toBe(p.celular);
  });

  it("with JavaScript, the cascade's next options come from /ubigeo as JSON", async () => {
    const res = await client.get("/ubigeo?departamento=15");
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(JSON.parse(res.html)).toContainEqual({ value: "1501", label: "LIMA" });
    expect(JSON.parse((await client.get("/ubigeo?provincia=1501")).html)).toContainEqual({ value: "150122", label: "MIRAFLORES" });
  });

  it("shows the welcome notice after registration", async () => {
    const res = await client.get("/mi-perfil?registrado=1");
    expect(res.html).toContain("Su cuenta fue creada. Le enviamos un correo para verificar su dirección.");
    // The forms post to the bare path: the notice does not come back with a later error.
    expect(res.html).not.toContain('action="/mi-perfil?registrado=1"');
    expect(res.html.match(/<form[^>]*action="\/mi-perfil"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it("refuses a post without the CSRF token", async () => {
    const res = await client.post("/mi-perfil", contacto(p, { celular: "911222333" }), { csrf: null });
    expect(res.status).toBe(403);
    expect((await row(p.id)).celular).toBe(p.celular);
  });

  describe("Reenviar", () => {
    it("is offered only while the e-mail is unverified, and queues a new link", async () => {
      expect((await client.get("/mi-perfil")).html).not.toContain("no está verificado");
      const u = await createPostulante(s, { emailVerifiedAt: null });
      const { c } = await signedIn(u);
      const page = await c.get("/mi-perfil");
      expect(page.html).toContain("Su correo electrónico no está verificado.");
      expect(page.html).toMatch(/<button[^>]*value="reenviar"[^>]*>Reenviar<\/button>/);
      const res = await c.post("/mi-perfil", { intent: "reenviar" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/mi-perfil?reenviado=1");
      expect(await s.db.select().from(outbox).where(eq(outbox.to, u.email))).toHaveLength(1);
      expect((await c.get("/mi-perfil?reenviado=1")).html).toContain("Le enviamos un nuevo enlace");
      // A second click at once is refused (no mail bomb), with a message, not an error page.
      const again = await c.post("/mi-perfil", { intent: "reenviar" });
      expect(again.status).toBe(429);
      expect(again.html).toContain("hace menos de un minuto");
      expect(await s.db.select().from(outbox).where(eq(outbox.to, u.email))).toHaveLength(1);
    });
  });

  describe("changing the e-mail (issue 11)", () => {
    const fieldError = (html: string, name: string) =>
      html.match(new RegExp(`id="campo-${name}-error"[^>]*>([\\s\\S]*?)</p>`))?.[1]?.replace(/<[^>]+>/g, "");
    const summary = (html: string) => html.match(/<div class="error-summary"[\s\S]*?<\/div>/)?.[0] ?? "";

    it("asks for the current password, in a field with a visible label; a missing or wrong one is refused at the field and in the summary", async () => {
      const page = await client.get("/mi-perfil");
      expect(page.html).toMatch(/<label[^>]*for="campo-passwordCorreo"[^>]*>Contraseña actual, para cambiar el correo/);
      const missing = await client.post("/mi-perfil", contacto(p, { email: "sin-clave@ejemplo.pe" }));
      expect(missing.status).toBe(422);
      expect(fieldError(missing.html, "passwordCorreo")).toContain("Ingrese su contraseña actual para cambiar el correo electrónico.");
      expect(summary(missing.html)).toContain('href="#campo-passwordCorreo"');
      const wrong = await client.post("/mi-perfil", contacto(p, { email: "sin-clave@ejemplo.pe", passwordCorreo: "no-es-la-mia-1" }));
      expect(wrong.status).toBe(422);
      expect(fieldError(wrong.html, "passwordCorreo")).toContain("La contraseña actual no es correcta.");
      expect(summary(wrong.html)).toContain("La contraseña actual no es correcta.");
      expect(wrong.html).not.toContain("no-es-la-mia-1");
      expect((await row(p.id)).email).toBe(p.email);
      expect(await s.db.select().from(outbox).where(eq(outbox.to, "sin-clave@ejemplo.pe"))).toHaveLength(0);
      // Other contact data still save without it.
      expect((await client.post("/mi-perfil", contacto(p, { celular: "955111222" }))).status).toBe(302);
      await s.db.delete(loginThrottle);
    });

    it("allows three changes an hour: six quick posts send at most six e-mails, the rest get a 429", async () => {
      const mailsBefore = (await s.db.select().from(outbox)).length;
      const posts = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          client.post("/mi-perfil", contacto(p, { email: `rafaga${i}-${p.id.slice(0, 8)}@ejemplo.pe`, passwordCorreo: p.password })),
        ),
      );
      expect(posts.filter((r) => r.status === 302)).toHaveLength(3);
      const refused = posts.filter((r) => r.status !== 302);
      expect(refused.map((r) => r.status)).toEqual([429, 429, 429]);
      // (A refusal may also come from the password check's own allowance, five at once: also a 429.)
      expect(refused.map((r) => fieldError(r.html, "email") ?? "").find((m) => m.includes("Ya cambió"))).toMatch(/Ya cambió su correo electrónico 3 veces en la última hora\. Podrá cambiarlo de nuevo en \d+ minutos?\./);
      // Two e-mails a change (the new address's verification, the old address's notice), none for a refusal.
      expect((await s.db.select().from(outbox)).length - mailsBefore).toBe(6);
      s.clock.advance(61 * 60 * 1000);
      ({ c: client, t: token } = await signedIn(p));
      const later = await client.post("/mi-perfil", contacto(await row(p.id) as TestPostulante, { email: `despues-${p.id.slice(0, 8)}@ejemplo.pe`, passwordCorreo: p.password }));
      expect(later.status).toBe(302);
    });

    it("tells the old address with a link that, once, within 7 days, restores it and signs the account out everywhere", async () => {
      const other = await signedIn(p);
      const nuevo = `intruso-${p.id.slice(0, 8)}@ejemplo.pe`;
      expect((await client.post("/mi-perfil", contacto(p, { email: nuevo, passwordCorreo: p.password }))).status).toBe(302);
      const [notice] = await s.db.select().from(outbox).where(and(eq(outbox.to, p.email), eq(outbox.subject, "Su correo electrónico en CAS Online cambió")));
      const link = notice!.text.match(/https?:\/\/\S+\/deshacer-cambio-correo\?token=([A-Za-z0-9_-]+)/)!;
      expect(notice!.text).toContain("7 días");
      const stored = await s.db.select().from(accountTokens).where(eq(accountTokens.kind, "deshacer_cambio_email"));
      expect(stored.map((t) => t.idHash)).toContain(hashToken(link[1]!)); // only the hash is stored
      expect(stored.map((t) => t.idHash)).not.toContain(link[1]!);
      const path = `/deshacer-cambio-correo?token=${link[1]}`;

      // Opening it (as a mail scanner would) changes nothing.
      const reader = app.client();
      const landing = await reader.get(path);
      expect(landing.status).toBe(200);
      expect(landing.headers.get("cache-control")).toContain("no-store");
      expect(landing.html).toContain("Recuperar mi correo anterior");
      expect((await row(p.id)).email).toBe(nuevo);

      const done = await reader.post("/deshacer-cambio-correo", { token: link[1]! });
      expect(done.status).toBe(302);
      expect(done.headers.get("location")).toBe("/login?aviso=correo-recuperado");
      const after = await row(p.id);
      expect(after.email).toBe(p.email);
      expect(after.emailVerifiedAt).not.toBeNull();
      expect(await s.db.select().from(sessions).where(eq(sessions.postulanteId, p.id))).toHaveLength(0);
      expect((await other.c.get("/mi-perfil")).status).toBe(302);
      // The new address's verification link died with it.
      const live = (await s.db.select().from(accountTokens).where(eq(accountTokens.postulanteId, p.id))).filter((t) => !t.usedAt);
      expect(live).toHaveLength(0);
      expect(await audits(p.id, "postulante.cambio_email_deshecho")).toHaveLength(1);

      const again = await reader.post("/deshacer-cambio-correo", { token: link[1]! });
      expect(again.status).toBe(410);
      expect(again.html).toContain("El enlace ya no es válido");
      expect((await reader.get(path)).status).toBe(410);
    });

    it("refuses the undo link after 7 days", async () => {
      expect((await client.post("/mi-perfil", contacto(p, { email: `tarde-${p.id.slice(0, 8)}@ejemplo.pe`, passwordCorreo: p.password }))).status).toBe(302);
      const [notice] = await s.db.select().from(outbox).where(and(eq(outbox.to, p.email), eq(outbox.subject, "Su correo electrónico en CAS Online cambió")));
      const token = notice!.text.match(/deshacer-cambio-correo\?token=([A-Za-z0-9_-]+)/)![1]!;
      s.clock.advance(7 * 24 * 60 * 60 * 1000 + 1000);
      const reader = app.client();
      expect((await reader.get(`/deshacer-cambio-correo?token=${token}`)).status).toBe(410);
      expect((await reader.post("/deshacer-cambio-correo", { token })).status).toBe(410);
      expect((await row(p.id)).email).toBe(`tarde-${p.id.slice(0, 8)}@ejemplo.pe`);
    });
  });

  describe("Cambiar contraseña", () => {
    const NEW = "Nueva-clave-77";

    it("needs the current password: a wrong one is a 422 at its field and nothing changes", async () => {
      const res = await client.post("/mi-perfil", {
        intent: "password",
        passwordActual: "no-es-la-mia-1",
        passwordNueva: NEW,
        passwordConfirmacion: NEW,
      });
      expect(res.status).toBe(422);
      expect(res.html).toMatch(/id="campo-passwordActual-error"[^>]*>.*La contraseña actual no es correcta\./s);
      expect(res.html).not.toContain("no-es-la-mia-1");
      expect((await row(p.id)).passwordHash).toBe(p.passwordHash);
    });

    it("counts wrong current passwords per account, so they cannot be brute-forced", async () => {
      const wrong = { intent: "password", passwordActual: "adivinanza-1", passwordNueva: NEW, passwordConfirmacion: NEW };
      for (let i = 0; i < 5; i++) expect((await client.post("/mi-perfil", wrong)).status).toBe(422);
      const blocked = await client.post("/mi-perfil", { ...wrong, passwordActual: p.password });
      expect(blocked.status).toBe(429);
      expect(blocked.html).toContain("Demasiados intentos");
      expect((await row(p.id)).passwordHash).toBe(p.passwordHash);
      // Not locked out for good: later the right password works.
      s.clock.advance(16 * 60 * 1000);
      ({ c: client, t: token } = await signedIn(p));
      const ok = await client.post("/mi-perfil", { ...wrong, passwordActual: p.password });
      expect(ok.status).toBe(302);
      await s.db.delete(loginThrottle);
    });

    it("applies the password rule: not the document number", async () => {
      const withDoc = `Clave${p.numeroDocumento}`;
      const res = await client.post("/mi-perfil", {
        intent: "password",
        passwordActual: p.password,
        passwordNueva: withDoc,
        passwordConfirmacion: withDoc,
      });
      expect(res.status).toBe(422);
      expect(res.html).toContain("no debe contener su número de documento");
      const mismatch = await client.post("/mi-perfil", {
        intent: "password",
        passwordActual: p.password,
        passwordNueva: NEW,
        passwordConfirmacion: `${NEW}x`,
      });
      expect(mismatch.status).toBe(422);
      expect(mismatch.html).toContain("Las contraseñas no coinciden.");
    });

    it("changes it, keeps this session, ends the account's other sessions, and audits", async () => {
      const other = await createSession(s.db, { postulanteId: p.id }, s.clock.now());
      const res = await client.post("/mi-perfil", {
        intent: "password",
        passwordActual: p.password,
        passwordNueva: NEW,
        passwordConfirmacion: NEW,
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/mi-perfil?password=1");
      const after = await row(p.id);
      expect(await s.hasher.verify(after.passwordHash, NEW)).toBe(true);
      const left = await s.db.select({ idHash: sessions.idHash }).from(sessions).where(eq(sessions.postulanteId, p.id));
      expect(left.map((r) => r.idHash)).toEqual([hashToken(token)]);
      expect(left.map((r) => r.idHash)).not.toContain(hashToken(other));
      expect(await audits(p.id, "postulante.password_cambiado")).toHaveLength(1);
      const page = await client.get("/mi-perfil?password=1");
      expect(page.status).toBe(200);
      expect(page.html).toContain("Su contraseña fue cambiada.");
    });
  });
});
