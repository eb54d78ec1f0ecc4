import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { staffTotp } from "~/db/schema";
import { createStaff } from "../../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { startEnrolment } from "./enrol-totp.server";
import { isTotpEnabled } from "./is-totp-enabled.server";

describe("isTotpEnabled", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("is false before and during an enrolment, and true once a code has confirmed it", async () => {
    const gestor = await createStaff(s, "gestor");
    expect(await isTotpEnabled(s.db, gestor.id)).toBe(false);
    await startEnrolment(s, gestor.id);
    expect(await isTotpEnabled(s.db, gestor.id)).toBe(false);
    await s.db.update(staffTotp).set({ enabledAt: s.clock.now() }).where(eq(staffTotp.staffId, gestor.id));
    expect(await isTotpEnabled(s.db, gestor.id)).toBe(true);
  });
});
