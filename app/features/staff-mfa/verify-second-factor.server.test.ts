import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loginThrottle, sessions } from "~/db/schema";
import { createSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { createStaff, wrongTotpCode, type TestStaff } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { confirmEnrolment, startEnrolment } from "./enrol-totp.server";
import { currentCode, PERIOD } from "./totp.server";
import { verifySecondFactor } from "./verify-second-factor.server";

describe("verifySecondFactor", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());
  beforeEach(async () => {
    await s.db.delete(loginThrottle);
  });

  const newSession = async (member: TestStaff) => hashToken(await createSession(s.db, { staffId: member.id }, s.clock.now()));
  const verifiedAt = async (sessionHash: string) => (await s.db.select({ at: sessions.mfaVerifiedAt }).from(sessions).where(eq(sessions.idHash, sessionHash)))[0]!.at;
  const nextStep = () => s.clock.advance(PERIOD * 1000);
  /** An administrador enrolled with a real seed; its recovery codes. */
  async function enrolled() {
    const admin = await createStaff(s, "administrador");
    const secret = (await startEnrolment(s, admin.id))!;
    const { recoveryCodes } = await confirmEnrolment({ services: s, staffId: admin.id, sessionHash: "none", code: currentCode(secret, s.clock.now()) });
    nextStep();
    return { admin, secret, recoveryCodes };
  }
  const verify = (staffId: string, sessionHash: string, code: string) => verifySecondFactor({ services: s, staffId, sessionHash, code });

  it("refuses a wrong code and leaves the session unverified; accepts the app's current code and verifies only this session", async () => {
    const { admin, secret } = await enrolled();
    const [session, other] = [await newSession(admin), await newSession(admin)];
    const right = currentCode(secret, s.clock.now());
    const wrong = wrongTotpCode(secret, s.clock.now());
    await expectRefusal(verify(admin.id, session, wrong), "mfa.codigo_incorrecto", 422, /El código no es correcto/);
    await expectRefusal(verify(admin.id, session, "12345"), "mfa.codigo_incorrecto", 422, /El código no es correcto/);
    expect(await verifiedAt(session)).toBeNull();
    await expect(verify(admin.id, session, right)).resolves.toEqual({ recovery: false });
    expect(await verifiedAt(session)).toEqual(s.clock.now());
    expect(await verifiedAt(other)).toBeNull();
  });

  it("refuses a code already accepted in its 30-second step, even in another session", async () => {
    const { admin, secret } = await enrolled();
    const code = currentCode(secret, s.clock.now());
    await verify(admin.id, await newSession(admin), code);
    const other = await newSession(admin);
    await expectRefusal(verify(admin.id, other, code), "mfa.codigo_reusado", 422, /Ese código ya se usó/);
    expect(await verifiedAt(other)).toBeNull();
  });

  it("accepts a recovery code once, in any case and spacing", async () => {
    const { admin, recoveryCodes } = await enrolled();
    const code = recoveryCodes[0]!;
    await expect(verify(admin.id, await newSession(admin), ` ${code.toLowerCase()} `)).resolves.toEqual({ recovery: true });
    await expectRefusal(verify(admin.id, await newSession(admin), code), "mfa.codigo_incorrecto", 422, /El código no es correcto/);
  });

  it("refuses before checking once the free failures are spent (429), the right code too", async () => {
    const { admin, secret } = await enrolled();
    const session = await newSession(admin);
    for (let i = 0; i < 5; i++) await expectRefusal(verify(admin.id, session, "000000"), "mfa.codigo_incorrecto", 422, /no es correcto/);
    await verify(admin.id, session, "000000").catch(() => undefined);
    await expectRefusal(verify(admin.id, session, currentCode(secret, s.clock.now())), "mfa.demasiados_intentos", 429, /Demasiados intentos/);
    expect(await verifiedAt(session)).toBeNull();
  });

  it("refuses a staff member who has not enrolled (409)", async () => {
    const gestor = await createStaff(s, "gestor");
    await startEnrolment(s, gestor.id);
    await expectRefusal(verify(gestor.id, await newSession(gestor), "123456"), "mfa.no_activada", 409, /Primero active/);
  });
});
