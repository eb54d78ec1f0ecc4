import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readSession } from "~/platform/session.server";
import { createStaff } from "../../../tests/support/accounts";
import { codeOf } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { loginStaff, STAFF_CREDENTIALS_MESSAGE } from "./login-staff.server";

describe("loginStaff", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s.close());
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  it("signs a staff member in with a staff session", async () => {
    const gestor = await createStaff(s, "gestor");
    const { sessionToken } = await loginStaff({ services: s, email: gestor.email, password: gestor.password, ip: "10.2.0.1" });
    expect(await readSession(s.db, sessionToken, s.clock.now())).toMatchObject({ kind: "staff", staffId: gestor.id });
  });

  it("refuses a disabled account with the same message as a wrong password, even with the right password", async () => {
    const ex = await createStaff(s, "evaluador", { disabledAt: s.clock.now() });
    const disabled = await failure(loginStaff({ services: s, email: ex.email, password: ex.password, ip: "10.2.0.2" }));
    const wrong = await failure(loginStaff({ services: s, email: ex.email, password: "otra-1234", ip: "10.2.0.2" }));
    const unknown = await failure(loginStaff({ services: s, email: "nadie@entidad.test", password: "x", ip: "10.2.0.2" }));
    for (const e of [disabled, wrong, unknown]) {
      expect(codeOf(e)).toBe("cuenta.credenciales_invalidas");
      expect((e as Error).message).toBe(STAFF_CREDENTIALS_MESSAGE);
    }
  });

  it("throttles per e-mail after five free failures", async () => {
    const admin = await createStaff(s, "administrador");
    const as = (password: string) => loginStaff({ services: s, email: admin.email, password, ip: "10.2.0.3" });
    for (let i = 0; i < 5; i++) expect(codeOf(await failure(as("mala-1")))).toBe("cuenta.credenciales_invalidas");
    expect(codeOf(await failure(as(admin.password)))).toBe("cuenta.demasiados_intentos");
    s.clock.advance(1000);
    expect((await as(admin.password)).staffId).toBe(admin.id);
  });

  it("evaluates at most five of 100 parallel wrong passwords, and still lets the member's own browser in (issue 11)", async () => {
    const admin = await createStaff(s, "administrador");
    const as = (password: string, deviceCookie?: string) =>
      loginStaff({ services: s, email: admin.email, password, ip: "10.2.0.9", deviceCookie });
    s.clock.advance(60 * 60 * 1000);
    const { deviceCookie } = await as(admin.password);
    const verify = vi.spyOn(s.hasher, "verify");
    const outcomes = await Promise.all(Array.from({ length: 100 }, (_, i) => failure(as(`mala-${i}`))));
    expect(verify).toHaveBeenCalledTimes(5);
    verify.mockRestore();
    expect(outcomes.filter((e) => codeOf(e) === "cuenta.demasiados_intentos")).toHaveLength(95);
    expect(codeOf(await failure(as(admin.password)))).toBe("cuenta.demasiados_intentos");
    expect((await as(admin.password, deviceCookie)).staffId).toBe(admin.id);
  });
});
