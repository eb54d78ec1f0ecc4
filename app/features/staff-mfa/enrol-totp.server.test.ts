import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, staffRecoveryCodes, staffTotp } from "~/db/schema";
import { createSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { createStaff, wrongTotpCode } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { confirmEnrolment, startEnrolment } from "./enrol-totp.server";
import { currentCode, hashRecovery } from "./totp.server";

describe("startEnrolment and confirmEnrolment", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  const verifiedAt = async (sessionHash: string) => (await s.db.select({ at: sessions.mfaVerifiedAt }).from(sessions).where(eq(sessions.idHash, sessionHash)))[0]!.at;

  it("refuses a wrong code (nothing enabled, session not verified); a code the app computes from the seed enrols with 10 recovery codes, once", async () => {
    const gestor = await createStaff(s, "gestor");
    const sessionHash = hashToken(await createSession(s.db, { staffId: gestor.id }, s.clock.now()));
    const secret = (await startEnrolment(s, gestor.id))!;
    const right = currentCode(secret, s.clock.now());
    const wrong = wrongTotpCode(secret, s.clock.now());

    await expectRefusal(confirmEnrolment({ services: s, staffId: gestor.id, sessionHash, code: wrong }), "mfa.codigo_incorrecto", 422, /El código no es correcto/);
    expect((await s.db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, gestor.id) }))!.enabledAt).toBeNull();
    expect(await verifiedAt(sessionHash)).toBeNull();

    const { recoveryCodes } = await confirmEnrolment({ services: s, staffId: gestor.id, sessionHash, code: ` ${right} ` });
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await s.db.select().from(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, gestor.id));
    // Stored hashed, never as shown.
    expect(stored.map((r) => r.codeHash).sort()).toEqual(recoveryCodes.map(hashRecovery).sort());
    expect((await s.db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, gestor.id) }))!.enabledAt).toEqual(s.clock.now());
    expect(await verifiedAt(sessionHash)).toEqual(s.clock.now());

    // Enrolled: no seed is shown again, and a second confirmation is refused.
    expect(await startEnrolment(s, gestor.id)).toBeNull();
    await expectRefusal(confirmEnrolment({ services: s, staffId: gestor.id, sessionHash, code: right }), "mfa.ya_activada", 409, /ya está activada/);
  });

  it("refuses a confirmation without a pending seed (409)", async () => {
    const admin = await createStaff(s, "administrador");
    await expectRefusal(confirmEnrolment({ services: s, staffId: admin.id, sessionHash: "none", code: "123456" }), "mfa.sin_clave_pendiente", 409, /Recargue la página/);
  });
});
