import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions, staffTotp } from "~/db/schema";
import { createSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import type { StaffRole } from "~/shared/permissions";
import { createStaff } from "../../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { startEnrolment } from "./enrol-totp.server";
import { MFA_REQUIRED_ROLES, pendingSecondFactor } from "./policy.server";

describe("pendingSecondFactor", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  /** A staff member of `role` with a password-only session, enrolled or not. */
  async function member(role: StaffRole, enrolled: boolean) {
    const m = await createStaff(s, role);
    if (enrolled) {
      await startEnrolment(s, m.id);
      await s.db.update(staffTotp).set({ enabledAt: s.clock.now() }).where(eq(staffTotp.staffId, m.id));
    }
    const sessionHash = hashToken(await createSession(s.db, { staffId: m.id }, s.clock.now()));
    return { m, sessionHash, pending: () => pendingSecondFactor(s.db, m, sessionHash) };
  }

  it("requires the second factor of administrador and gestor: enrolment first, then a code at each session", async () => {
    expect(MFA_REQUIRED_ROLES).toEqual(["administrador", "gestor"]);
    for (const role of MFA_REQUIRED_ROLES) {
      expect(await (await member(role, false)).pending()).toBe("enrol");
      expect(await (await member(role, true)).pending()).toBe("verify");
    }
  });

  it("leaves it optional for an evaluador, but asks for the code once they enrolled", async () => {
    expect(await (await member("evaluador", false)).pending()).toBeNull();
    expect(await (await member("evaluador", true)).pending()).toBe("verify");
  });

  it("asks nothing more of a session that passed the second step", async () => {
    for (const role of ["administrador", "gestor", "evaluador"] as const) {
      const { sessionHash, pending } = await member(role, true);
      await s.db.update(sessions).set({ mfaVerifiedAt: s.clock.now() }).where(eq(sessions.idHash, sessionHash));
      expect(await pending()).toBeNull();
    }
  });
});
