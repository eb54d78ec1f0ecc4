import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { staffTotp } from "~/db/schema";
import { confirmEnrolment, startEnrolment } from "./enrol-totp.server";
import { openTotpSecret, sealClearTotpSecrets } from "./totp-secret.server";
import { currentCode, newSecret, PERIOD } from "./totp.server";
import { verifySecondFactor } from "./verify-second-factor.server";
import { isSealed } from "~/platform/secret-box.server";
import { createStaff } from "../../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../../tests/support/services";

/** TOTP seeds are stored sealed (AES-256-GCM under TOTP_ENCRYPTION_KEY), never in clear (issue 11, item 11). */
let s: TestServices;
beforeAll(async () => {
  s = await createTestServices();
});
afterAll(async () => {
  await s?.close();
});
const rowOf = async (staffId: string) => (await s.db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, staffId) }))!;
const later = () => s.clock.advance(PERIOD * 1000 * 2);

it("stores the seed shown at enrolment sealed, and the codes of the app still work", async () => {
  const gestor = await createStaff(s, "gestor");
  const shown = (await startEnrolment(s, gestor.id))!;
  expect(shown).toMatch(/^[A-Z2-7]{32}$/);
  const row = await rowOf(gestor.id);
  expect(isSealed(row.secret)).toBe(true);
  expect(row.secret).not.toContain(shown);
  expect(row.secret).not.toContain(shown.slice(0, 8));
  // The next visit shows the same seed.
  expect(await startEnrolment(s, gestor.id)).toBe(shown);
  await confirmEnrolment({ services: s, staffId: gestor.id, sessionHash: "none", code: currentCode(shown, s.clock.now()) });
  later();
  await expect(verifySecondFactor({ services: s, staffId: gestor.id, sessionHash: "none", code: currentCode(shown, s.clock.now()) })).resolves.toEqual({ recovery: false });
  // Another key does not open it: the database alone gives no second factor.
  await expect(openTotpSecret(s.db, Buffer.alloc(32, 7), await rowOf(gestor.id))).rejects.toThrow(/does not open with TOTP_ENCRYPTION_KEY/);
});

it("seals the seeds stored in clear by an earlier version at start; one met later is sealed on first use", async () => {
  const [a, b] = [await createStaff(s, "administrador"), await createStaff(s, "administrador")];
  const [seedA, seedB] = [newSecret(), newSecret()];
  await s.db.insert(staffTotp).values({ staffId: a.id, secret: seedA, enabledAt: s.clock.now() });
  expect(await sealClearTotpSecrets(s.db, s.config.totpKey)).toBe(1);
  expect(isSealed((await rowOf(a.id)).secret)).toBe(true);
  expect(await sealClearTotpSecrets(s.db, s.config.totpKey)).toBe(0);
  later();
  await expect(verifySecondFactor({ services: s, staffId: a.id, sessionHash: "none", code: currentCode(seedA, s.clock.now()) })).resolves.toEqual({ recovery: false });

  // Written in clear after this server started (an older server beside it): sealed when first used.
  await s.db.insert(staffTotp).values({ staffId: b.id, secret: seedB, enabledAt: s.clock.now() });
  later();
  await expect(verifySecondFactor({ services: s, staffId: b.id, sessionHash: "none", code: currentCode(seedB, s.clock.now()) })).resolves.toEqual({ recovery: false });
  const rowB = await rowOf(b.id);
  expect(isSealed(rowB.secret)).toBe(true);
  expect(await openTotpSecret(s.db, s.config.totpKey, rowB)).toBe(seedB);
});
