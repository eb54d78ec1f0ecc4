import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openTotpSecret } from "~/features/staff-mfa/totp-secret.server";
import { auditLog, loginThrottle, sessions, staffRecoveryCodes, staffTotp } from "~/db/schema";
import { currentCode } from "~/features/staff-mfa/totp.server";
import { cookieName } from "~/web/cookies.server";
import { createSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { createStaff, type TestStaff } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/** Issue 5: staff second factor (TOTP), required for gestor and administrador, optional for evaluador. */
describe("staff second factor (TOTP) over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });
  beforeEach(async () => {
    await s.db.delete(loginThrottle);
  });

  /** A password-only session, as /admin/login leaves it. */
  async function passwordStep(member: TestStaff): Promise<TestClient & { token: string }> {
    const c = app.client();
    const token = await createSession(s.db, { staffId: member.id }, s.clock.now());
    c.cookies.set(cookieName("cas_session", s.config.secureCookies), token);
    await c.get("/admin/login");
    return Object.assign(c, { token });
  }
  const verifiedAt = async (token: string) =>
    (await s.db.select({ at: sessions.mfaVerifiedAt }).from(sessions).where(eq(sessions.idHash, hashToken(token))))[0]?.at ?? null;
  /** The row, with its seed opened (it is stored sealed under TOTP_ENCRYPTION_KEY). */
  const secretOf = async (id: string) => {
    const row = (await s.db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, id) }))!;
    return { ...row, secret: await openTotpSecret(s.db, s.config.totpKey, row) };
  };

  it("sends a gestor without a second factor to enrolment, shows the secret and a QR, refuses a wrong code, then enrols with 10 recovery codes", async () => {
    const gestor = await createStaff(s, "gestor");
    const c = await passwordStep(gestor);
    const first = await c.get("/admin/convocatorias");
    expect(first.status).toBe(302);
    expect(first.headers.get("location")).toBe("/admin/mfa?redirectTo=%2Fadmin%2Fconvocatorias");
    // The same for a POST: nothing done, sent to enrolment.
    expect((await c.post("/admin/convocatorias/00000000-0000-4000-8000-000000000000/evaluacion", { intent: "configurar" })).status).toBe(302);

    const page = await c.get("/admin/mfa?redirectTo=%2Fadmin%2Fconvocatorias");
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/<img[^>]+src="data:image\/svg\+xml;base64,/);
    const { secret } = await secretOf(gestor.id);
    expect(page.html).toContain(secret.slice(0, 4));

    const wrong = await c.post("/admin/mfa", { codigo: "000000", redirectTo: "/admin/convocatorias" });
    expect(wrong.status).toBe(422);
    expect(wrong.html).toContain("El código no es correcto");
    expect((await secretOf(gestor.id)).enabledAt).toBeNull();
    expect(await verifiedAt(c.token)).toBeNull();

    const ok = await c.post("/admin/mfa", { codigo: currentCode(secret, s.clock.now()), redirectTo: "/admin/convocatorias" });
    expect(ok.status).toBe(200);
    const codes = [...ok.html.matchAll(/<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})<\/code>/g)].map((m) => m[1]);
    expect(codes).toHaveLength(10);
    const stored = await s.db.select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, gestor.id));
    expect(stored).toHaveLength(10);
    expect(stored.some((r) => codes.includes(r.codeHash))).toBe(false);
    expect(await verifiedAt(c.token)).not.toBeNull();
    expect((await c.get("/admin/convocatorias")).status).toBe(200);
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.event, "staff.segundo_factor_activado"), eq(auditLog.entityId, gestor.id)))).toHaveLength(1);
  });

  it("asks an enrolled administrador for a code at each new session; refuses a wrong and a replayed code; a recovery code works once", async () => {
    const admin = await createStaff(s, "administrador");
    const enrol = await passwordStep(admin);
    await enrol.get("/admin/mfa");
    const { secret } = await secretOf(admin.id);
    const enrolled = await enrol.post("/admin/mfa", { codigo: currentCode(secret, s.clock.now()), redirectTo: "/admin" });
    const recovery = [...enrolled.html.matchAll(/<code>([0-9A-Z-]{14})<\/code>/g)].map((m) => m[1]!);
    const usedCode = currentCode(secret, s.clock.now());

    const c = await passwordStep(admin);
    const res = await c.get("/admin/personal");
    expect(res.headers.get("location")).toBe("/admin/segundo-factor?redirectTo=%2Fadmin%2Fpersonal");
    expect((await c.get("/admin/segundo-factor?redirectTo=%2Fadmin%2Fpersonal")).status).toBe(200);

    const replay = await c.post("/admin/segundo-factor", { codigo: usedCode, redirectTo: "/admin/personal" });
    expect(replay.status).toBe(422);
    expect(replay.html).toContain("Ese código ya se usó");
    expect(await verifiedAt(c.token)).toBeNull();
    const wrong = await c.post("/admin/segundo-factor", { codigo: "123456", redirectTo: "/admin/personal" });
    expect(wrong.status).toBe(422);
    expect(await verifiedAt(c.token)).toBeNull();

    s.clock.advance(30_000);
    const fresh = currentCode(secret, s.clock.now());
    const ok = await c.post("/admin/segundo-factor", { codigo: fresh, redirectTo: "/admin/personal" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/admin/personal");
    expect((await c.get("/admin/personal")).status).toBe(200);
    // The same code in another session (seen over a shoulder) is refused.
    const other = await passwordStep(admin);
    expect((await other.post("/admin/segundo-factor", { codigo: fresh })).html).toContain("Ese código ya se usó");

    const r1 = await other.post("/admin/segundo-factor", { codigo: recovery[0]!.toLowerCase() });
    expect(r1.status).toBe(302);
    const third = await passwordStep(admin);
    expect((await third.post("/admin/segundo-factor", { codigo: recovery[0]! })).status).toBe(422);
    expect(await verifiedAt(third.token)).toBeNull();
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.event, "staff.codigo_recuperacion_usado"), eq(auditLog.entityId, admin.id)))).toHaveLength(1);
  });

  it("throttles wrong codes (429 after the free failures), and keeps refusing until the wait is over", async () => {
    const admin = await createStaff(s, "administrador");
    const enrol = await passwordStep(admin);
    await enrol.get("/admin/mfa");
    const { secret } = await secretOf(admin.id);
    await enrol.post("/admin/mfa", { codigo: currentCode(secret, s.clock.now()) });
    s.clock.advance(30_000);
    const c = await passwordStep(admin);
    await c.get("/admin/segundo-factor");
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await c.post("/admin/segundo-factor", { codigo: "000000" })).status);
    expect(statuses.slice(0, 5)).toEqual([422, 422, 422, 422, 422]);
    expect(statuses.at(-1)).toBe(429);
    // Even the right code waits.
    const blocked = await c.post("/admin/segundo-factor", { codigo: currentCode(secret, s.clock.now()) });
    expect(blocked.status).toBe(429);
    expect(await verifiedAt(c.token)).toBeNull();
  });

  it("lets an evaluador in without a second factor (optional), but requires it once they enrolled", async () => {
    const ev = await createStaff(s, "evaluador");
    const c = await passwordStep(ev);
    expect((await c.get("/admin/evaluacion")).status).toBe(200);
    await c.get("/admin/mfa");
    const { secret } = await secretOf(ev.id);
    await c.post("/admin/mfa", { codigo: currentCode(secret, s.clock.now()) });
    const later = await passwordStep(ev);
    expect((await later.get("/admin/evaluacion")).headers.get("location")).toBe("/admin/segundo-factor?redirectTo=%2Fadmin%2Fevaluacion");
  });
});
