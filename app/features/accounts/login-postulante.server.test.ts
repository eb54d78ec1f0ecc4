import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loginThrottle, sessions } from "~/db/schema";
import { readSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { isAppError, type AppError } from "~/shared/app-error";
import { createPostulante, type TestPostulante } from "../../../tests/support/accounts";
import { codeOf } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import {
  formatWait, IP_FREE_FAILURES, loginPostulante, POSTULANTE_CREDENTIALS_MESSAGE,
} from "./login-postulante.server";

describe("loginPostulante", () => {
  let s: TestServices;
  let ana: TestPostulante;
  beforeAll(async () => {
    s = await createTestServices();
    ana = await createPostulante(s);
  });
  afterAll(async () => s.close());

  const attempt = (password: string, overrides: Partial<Parameters<typeof loginPostulante>[0]> = {}) =>
    loginPostulante({
      services: s,
      tipoDocumento: "DNI",
      numeroDocumento: ana.numeroDocumento,
      password,
      ip: "10.0.0.1",
      ...overrides,
    });
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  it("signs in with the right password and starts a new session in the database", async () => {
    const { sessionToken, postulanteId } = await attempt(ana.password);
    expect(postulanteId).toBe(ana.id);
    const principal = await readSession(s.db, sessionToken, s.clock.now());
    expect(principal).toMatchObject({ kind: "postulante", postulanteId: ana.id });
  });

  it("rotates the session: the token in use before signing in is destroyed, the new one differs", async () => {
    const first = await attempt(ana.password);
    const second = await attempt(ana.password, { previousSessionToken: first.sessionToken });
    expect(second.sessionToken).not.toBe(first.sessionToken);
    expect(await readSession(s.db, first.sessionToken, s.clock.now())).toBeNull();
    expect(await readSession(s.db, second.sessionToken, s.clock.now())).not.toBeNull();
  });

  it("gives one message for an unknown number and a wrong password, and checks a dummy hash for the unknown one", async () => {
    const nobody = vi.spyOn(s.hasher, "verifyNobody");
    const unknown = await failure(attempt(ana.password, { numeroDocumento: "99999999", ip: "10.0.0.2" }));
    expect(nobody).toHaveBeenCalledTimes(1);
    nobody.mockRestore();
    const wrong = await failure(attempt("otra-clave-1", { ip: "10.0.0.2" }));
    expect(codeOf(unknown)).toBe("cuenta.credenciales_invalidas");
    expect(codeOf(wrong)).toBe("cuenta.credenciales_invalidas");
    expect((unknown as Error).message).toBe(POSTULANTE_CREDENTIALS_MESSAGE);
    expect((wrong as Error).message).toBe((unknown as Error).message);
    expect((wrong as AppError).status).toBe(401);
    await s.throttle.reset([`postulante:DNI:${ana.numeroDocumento}`]);
  });

  it("throttles an account after five free failures and lets the right password in once the wait has passed", async () => {
    const bea = await createPostulante(s);
    const as = (password: string) => attempt(password, { numeroDocumento: bea.numeroDocumento, ip: "10.0.0.3" });
    // The fifth failure still gets an answer, and starts a 1-second wait.
    for (let i = 0; i < 5; i++) expect(codeOf(await failure(as("mala-clave-1")))).toBe("cuenta.credenciales_invalidas");
    const blocked = await failure(as(bea.password));
    expect(codeOf(blocked)).toBe("cuenta.demasiados_intentos");
    expect((blocked as AppError).status).toBe(429);
    expect((blocked as Error).message).toBe("Demasiados intentos fallidos. Por seguridad, espere 1 segundo antes de volver a intentarlo.");
    s.clock.advance(1000);
    expect((await as(bea.password)).postulanteId).toBe(bea.id);
    // Success forgets the account's failures: the next mistake is free again.
    expect(codeOf(await failure(as("mala-clave-1")))).toBe("cuenta.credenciales_invalidas");
    expect((await as(bea.password)).postulanteId).toBe(bea.id);
  });

  it("doubles the wait with each further failure, never beyond 15 minutes, and forgets after a quiet hour", async () => {
    const caro = await createPostulante(s);
    const as = (password: string) => attempt(password, { numeroDocumento: caro.numeroDocumento, ip: `10.1.0.${Math.random()}` });
    const waits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const e = await failure(as("mala-clave-1"));
      if (isAppError(e, "cuenta.demasiados_intentos")) {
        waits.push(e.retryAfterMs!);
        s.clock.advance(e.retryAfterMs!);
        i--;
      }
    }
    expect(waits.slice(0, 5)).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(Math.max(...waits)).toBe(15 * 60 * 1000);
    s.clock.advance(60 * 60 * 1000);
    expect((await as(caro.password)).postulanteId).toBe(caro.id);
  });

  it("throttles an IP after more free failures than an account gets, across accounts, and a good login there does not clear it", async () => {
    const ip = "10.0.0.9";
    for (let i = 0; i < IP_FREE_FAILURES - 1; i++) {
      const e = await failure(attempt("mala", { numeroDocumento: String(30000000 + i), ip }));
      expect(codeOf(e)).toBe("cuenta.credenciales_invalidas");
    }
    // A right password is not counted on the IP: it is still one failure short of waiting.
    expect((await attempt(ana.password, { ip })).postulanteId).toBe(ana.id);
    expect(codeOf(await failure(attempt("mala", { numeroDocumento: "30000999", ip })))).toBe("cuenta.credenciales_invalidas");
    expect(codeOf(await failure(attempt(ana.password, { ip })))).toBe("cuenta.demasiados_intentos");
    s.clock.advance(1000);
    expect((await attempt(ana.password, { ip })).postulanteId).toBe(ana.id);
    expect(codeOf(await failure(attempt("mala", { numeroDocumento: "30000998", ip })))).toBe("cuenta.credenciales_invalidas");
    expect(codeOf(await failure(attempt(ana.password, { ip })))).toBe("cuenta.demasiados_intentos");
  });

  it("evaluates at most five of 100 parallel wrong passwords for one account (issue 11)", async () => {
    const dani = await createPostulante(s);
    const verify = vi.spyOn(s.hasher, "verify");
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        failure(attempt(`mala-clave-${i}`, { numeroDocumento: dani.numeroDocumento, ip: "10.3.0.1" })),
      ),
    );
    expect(verify).toHaveBeenCalledTimes(5);
    verify.mockRestore();
    expect(outcomes.filter((e) => codeOf(e) === "cuenta.credenciales_invalidas")).toHaveLength(5);
    expect(outcomes.filter((e) => codeOf(e) === "cuenta.demasiados_intentos")).toHaveLength(95);
  });

  it("lets the owner's browser in after a burst locked the account, but counts that browser's own failures", async () => {
    const eva = await createPostulante(s);
    const as = (password: string, deviceCookie?: string) =>
      attempt(password, { numeroDocumento: eva.numeroDocumento, ip: "10.4.0.1", deviceCookie });
    const { deviceCookie } = await as(eva.password);
    await Promise.all(Array.from({ length: 100 }, (_, i) => failure(as(`mala-clave-${i}`))));
    // A stranger's browser, with the right password, waits; the owner's signs in.
    expect(codeOf(await failure(as(eva.password)))).toBe("cuenta.demasiados_intentos");
    const owner = await as(eva.password, deviceCookie);
    expect(owner.postulanteId).toBe(eva.id);
    // The owner's browser has its own allowance: five wrong passwords, then it waits too.
    for (let i = 0; i < 5; i++) expect(codeOf(await failure(as("mala-clave-1", owner.deviceCookie)))).toBe("cuenta.credenciales_invalidas");
    expect(codeOf(await failure(as(eva.password, owner.deviceCookie)))).toBe("cuenta.demasiados_intentos");
    // The entry is for Eva's account only: at another account it is a stranger's browser.
    const keys = s.throttle.deviceKey(`postulante:DNI:${ana.numeroDocumento}`, owner.deviceCookie);
    expect(keys).toBeNull();
  });

  it("lets more right passwords from one address in at once than the IP allows failures (an office at the deadline)", async () => {
    const people = await Promise.all(Array.from({ length: IP_FREE_FAILURES + 10 }, () => createPostulante(s)));
    const results = await Promise.all(
      people.map((p) => attempt(p.password, { numeroDocumento: p.numeroDocumento, ip: "10.5.0.1" })),
    );
    expect(results.map((r) => r.postulanteId)).toEqual(people.map((p) => p.id));
  }, 120_000);

  it("keeps no document number or IP in clear in the throttle table", async () => {
    const rows = await s.db.select().from(loginThrottle);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.key).toMatch(/^[0-9a-f]{64}$/);
  });

  it("stores only the hash of the session token", async () => {
    const { sessionToken } = await attempt(ana.password, { ip: "10.0.0.50" });
    const row = await s.db.query.sessions.findFirst({ where: eq(sessions.idHash, hashToken(sessionToken)) });
    expect(row?.postulanteId).toBe(ana.id);
    expect(await s.db.query.sessions.findFirst({ where: eq(sessions.idHash, sessionToken) })).toBeUndefined();
  });
});

describe("formatWait", () => {
  it("rounds up, in seconds below a minute and in minutes above", () => {
    expect(formatWait(1)).toBe("1 segundo");
    expect(formatWait(1500)).toBe("2 segundos");
    expect(formatWait(59_000)).toBe("59 segundos");
    expect(formatWait(60_000)).toBe("1 minuto");
    expect(formatWait(61_000)).toBe("2 minutos");
    expect(formatWait(15 * 60_000)).toBe("15 minutos");
  });
});
