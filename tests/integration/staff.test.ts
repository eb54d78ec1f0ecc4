import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, sessions, staff } from "~/db/schema";
import { setStaffEnabled } from "~/features/accounts/set-staff-enabled.server";
import { LAST_ADMIN, updateStaffRole } from "~/features/accounts/update-staff-role.server";
import type { AppError } from "~/shared/app-error";
import type { StaffRole } from "~/shared/permissions";
import { cookieName } from "~/web/cookies.server";
import { createSession } from "~/platform/session.server";
import { createPostulante, createStaff, verifyStaffSessionForTests, type TestStaff } from "../support/accounts";
import { codeOf } from "../support/errors";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/** /admin/personal: staff accounts and roles, administrador only (issue 2). */
describe("staff accounts management", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: TestStaff;
  let adminClient: TestClient;

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    admin = await createStaff(s, "administrador", { nombre: "Ana Torres" });
    adminClient = await signedIn({ staffId: admin.id });
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  async function signedIn(owner: { staffId: string } | { postulanteId: string }) {
    const c = app.client();
    const t = await createSession(s.db, owner, s.clock.now());
    if ("staffId" in owner) await verifyStaffSessionForTests(s, t);
    c.cookies.set(cookieName("cas_session", s.config.secureCookies), t);
    await c.get("/");
    return c;
  }

  const member = async (id: string) => (await s.db.query.staff.findFirst({ where: eq(staff.id, id) }))!;
  const lastAudit = async (id: string, event: string) =>
    (
      await s.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.entityId, id), eq(auditLog.event, event)))
        .orderBy(desc(auditLog.id))
        .limit(1)
    )[0];

  it("lets only an administrador in: gestor, evaluador and applicants get 403, the anonymous go to /admin/login", async () => {
    const target = await createStaff(s, "evaluador");
    let n = 0;
    const posts = () => [
      { intent: "crear", nombre: "Nuevo Integrante", email: `nuevo${++n}@entidad.test`, role: "evaluador", password: "Inicial-2026-x" },
      { intent: "rol", staffId: target.id, role: "gestor" },
      { intent: "deshabilitar", staffId: target.id },
      { intent: "habilitar", staffId: target.id },
    ];
    const visitors: [string, () => Promise<TestClient>, number, string | null][] = [
      ["gestor", async () => signedIn({ staffId: (await createStaff(s, "gestor")).id }), 403, null],
      ["evaluador", async () => signedIn({ staffId: (await createStaff(s, "evaluador")).id }), 403, null],
      ["applicant", async () => signedIn({ postulanteId: (await createPostulante(s)).id }), 403, null],
      ["anonymous", async () => app.client(), 302, "/admin/login?redirectTo=%2Fadmin%2Fpersonal"],
    ];
    for (const [who, make, status, location] of visitors) {
      const c = await make();
      await c.get("/");
      const page = await c.get("/admin/personal");
      expect(page.status, `${who} GET`).toBe(status);
      if (location) expect(page.headers.get("location")).toBe(location);
      for (const fields of posts()) {
        const res = await c.post("/admin/personal", fields);
        expect(res.status, `${who} POST ${fields.intent}`).toBe(status);
      }
    }
    // Nothing the refused visitors posted took effect.
    expect(await member(target.id)).toMatchObject({ role: "evaluador", disabledAt: null });
    expect(await s.db.select().from(staff).where(eq(staff.email, "nuevo1@entidad.test"))).toHaveLength(0);

    const page = await adminClient.get("/admin/personal");
    expect(page.status).toBe(200);
    expect(page.html).toContain("<h1>Personal</h1>");
    for (const fields of posts()) {
      const res = await adminClient.post("/admin/personal", fields);
      expect(res.status, `administrador POST ${fields.intent}`).toBe(302);
    }
    expect(await member(target.id)).toMatchObject({ role: "gestor", disabledAt: null });
  });

  it("lists the staff with name, e-mail, role and state", async () => {
    const off = await createStaff(s, "gestor", { nombre: "Pedro Ruiz", disabledAt: s.clock.now() });
    const page = await adminClient.get("/admin/personal");
    for (const h of ["Nombre", "Correo electrónico", "Rol", "Estado"]) expect(page.html).toContain(`<th scope="col">${h}</th>`);
    expect(page.html).toContain("Pedro Ruiz");
    expect(page.html).toContain(off.email);
    expect(page.html).toMatch(/Pedro Ruiz[\s\S]*?Gestor[\s\S]*?Deshabilitada/);
    expect(page.html).toMatch(/value="habilitar"/);
  });

  it("creates a staff account with a hashed initial password and audits it", async () => {
    const res = await adminClient.post("/admin/personal", {
      intent: "crear",
      nombre: "  Gestora   Rosa Díaz ",
      email: "Rosa.Diaz@Entidad.test",
      role: "gestor",
      password: "Inicial-2026-rd",
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/personal?creado=1");
    const [row] = await s.db.select().from(staff).where(eq(staff.email, "rosa.diaz@entidad.test"));
    expect(row).toMatchObject({ nombre: "Gestora Rosa Díaz", role: "gestor", disabledAt: null });
    expect(await s.hasher.verify(row!.passwordHash, "Inicial-2026-rd")).toBe(true);
    expect(await lastAudit(row!.id, "staff.creado")).toMatchObject({ actorType: "staff", actorId: admin.id, details: { role: "gestor" } });
    expect((await adminClient.get("/admin/personal?creado=1")).html).toContain("La cuenta de personal fue creada.");
  });

  it("refuses a duplicate e-mail with 409 at the field, and a weak password with 422, keeping what was typed", async () => {
    const existing = await createStaff(s, "evaluador");
    const dup = await adminClient.post("/admin/personal", {
      intent: "crear",
      nombre: "Otra Persona",
      email: existing.email.toUpperCase(),
      role: "evaluador",
      password: "Inicial-2026-op",
    });
    expect(dup.status).toBe(409);
    expect(dup.html).toMatch(/id="campo-email-error"[\s\S]*?Ya existe una cuenta de personal con ese correo electrónico\./);
    expect(dup.html).toContain('value="Otra Persona"');
    expect(dup.html).not.toContain("Inicial-2026-op");
    const weak = await adminClient.post("/admin/personal", {
      intent: "crear",
      nombre: "Otra Persona",
      email: "otra.persona@entidad.test",
      role: "evaluador",
      password: "password1",
    });
    expect(weak.status).toBe(422);
    expect(weak.html).toContain("muy común");
    const empty = await adminClient.post("/admin/personal", { intent: "crear", nombre: "", email: "x", role: "jefe", password: "" });
    expect(empty.status).toBe(422);
    expect(empty.html).toContain("Revise los datos ingresados");
    expect(empty.html).toContain("Seleccione el rol.");
    expect(await s.db.select().from(staff).where(eq(staff.email, "otra.persona@entidad.test"))).toHaveLength(0);
  });

  it("changes a role and audits old → new", async () => {
    const m = await createStaff(s, "evaluador");
    const res = await adminClient.post("/admin/personal", { intent: "rol", staffId: m.id, role: "gestor" });
    expect(res.headers.get("location")).toBe("/admin/personal?rol=1");
    expect((await member(m.id)).role).toBe("gestor");
    expect(await lastAudit(m.id, "staff.actualizado")).toMatchObject({
      actorId: admin.id,
      details: { role: { from: "evaluador", to: "gestor" } },
    });
  });

  it("disabling ends the member's sessions and locks them out; enabling lets them back", async () => {
    const m = await createStaff(s, "gestor");
    const c = await signedIn({ staffId: m.id });
    expect((await c.get("/admin/personal")).status).toBe(403); // signed in, but not an administrador
    const res = await adminClient.post("/admin/personal", { intent: "deshabilitar", staffId: m.id });
    expect(res.headers.get("location")).toBe("/admin/personal?deshabilitado=1");
    expect((await member(m.id)).disabledAt).not.toBeNull();
    expect(await s.db.select().from(sessions).where(eq(sessions.staffId, m.id))).toHaveLength(0);
    expect((await c.get("/admin/personal")).headers.get("location")).toMatch(/^\/admin\/login/);
    expect(await lastAudit(m.id, "staff.deshabilitado")).toMatchObject({ actorId: admin.id });

    const back = await adminClient.post("/admin/personal", { intent: "habilitar", staffId: m.id });
    expect(back.headers.get("location")).toBe("/admin/personal?habilitado=1");
    expect((await member(m.id)).disabledAt).toBeNull();
    expect(await lastAudit(m.id, "staff.habilitado")).toMatchObject({ actorId: admin.id });
  });

  it("an administrador cannot disable themself nor change their own role", async () => {
    const off = await adminClient.post("/admin/personal", { intent: "deshabilitar", staffId: admin.id });
    expect(off.status).toBe(409);
    expect(off.html).toContain("No puede deshabilitar su propia cuenta.");
    const demote = await adminClient.post("/admin/personal", { intent: "rol", staffId: admin.id, role: "evaluador" });
    expect(demote.status).toBe(409);
    expect(await member(admin.id)).toMatchObject({ role: "administrador", disabledAt: null });
    expect(await s.db.select().from(sessions).where(eq(sessions.staffId, admin.id))).not.toHaveLength(0);
  });

  it("a staff id that is not a UUID is a 404 like an unknown one (issue 11: ids are parsed at the edge, before any query)", async () => {
    const res = await adminClient.post("/admin/personal", { intent: "deshabilitar", staffId: "'; drop table staff; --" });
    expect(res.status).toBe(404);
    expect(res.html).toContain("Página no encontrada");
    const unknown = await adminClient.post("/admin/personal", { intent: "rol", staffId: crypto.randomUUID(), role: "gestor" });
    expect(unknown.status).toBe(404);
  });

  describe("the last enabled administrador stays", () => {
    async function enabledAdmins() {
      const rows = await s.db.select().from(staff).where(eq(staff.role, "administrador"));
      return rows.filter((r) => !r.disabledAt);
    }
    async function onlyAdmin(keep: TestStaff) {
      for (const a of await enabledAdmins()) {
        if (a.id !== keep.id) await s.db.update(staff).set({ role: "gestor" }).where(eq(staff.id, a.id));
      }
    }

    it("refuses to demote or disable the only enabled administrador, whoever asks", async () => {
      await onlyAdmin(admin);
      const other = await createStaff(s, "gestor");
      for (const attempt of [
        () => updateStaffRole({ services: s, actorId: other.id, staffId: admin.id, role: "gestor" as StaffRole }),
        () => setStaffEnabled({ services: s, actorId: other.id, staffId: admin.id, enabled: false }),
      ]) {
        await expect(attempt()).rejects.toSatisfy((e) => codeOf(e) === "personal.ultimo_administrador" && (e as Error).message === LAST_ADMIN && (e as AppError).status === 409);
      }
      expect(await enabledAdmins()).toEqual([expect.objectContaining({ id: admin.id })]);
    });

    it("of two administradores demoting each other at the same moment, exactly one succeeds", async () => {
      await onlyAdmin(admin);
      const second = await createStaff(s, "administrador");
      const results = await Promise.allSettled([
        updateStaffRole({ services: s, actorId: admin.id, staffId: second.id, role: "evaluador" }),
        updateStaffRole({ services: s, actorId: second.id, staffId: admin.id, role: "evaluador" }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(codeOf(refused.reason)).toBe("personal.ultimo_administrador");
      expect(refused.reason.message).toBe(LAST_ADMIN);
      expect(await enabledAdmins()).toHaveLength(1);
      // Put things back for the other tests.
      await s.db.update(staff).set({ role: "administrador" }).where(eq(staff.id, admin.id));
    });

    it("lets an administrador be disabled while another one remains", async () => {
      const second = await createStaff(s, "administrador");
      const res = await adminClient.post("/admin/personal", { intent: "deshabilitar", staffId: second.id });
      expect(res.status).toBe(302);
      expect((await member(second.id)).disabledAt).not.toBeNull();
    });
  });
});
