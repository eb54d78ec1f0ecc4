import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { accountTokens, auditLog, outbox, postulantes } from "~/db/schema";
import { createSession, readSession } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import type { AppError } from "~/shared/app-error";
import { createPostulante, type TestPostulante } from "../../../tests/support/accounts";
import { codeOf } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { startSmtpServer } from "../../../tests/support/smtp";
import { loginPostulante } from "./login-postulante.server";
import { requestPasswordReset } from "./request-password-reset.server";
import { resetPassword } from "./reset-password.server";

describe("password recovery", () => {
  let s: TestServices;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let ip = 0;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url, BASE_URL: "https://cas.entidad.test" } });
  });
  afterAll(async () => {
    await s.close();
    await smtp.close();
  });
  const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

  /** Asks for a link and returns the token from the e-mail the SMTP server received. */
  async function linkFor(p: TestPostulante): Promise<string> {
    await requestPasswordReset({ services: s, tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, ip: `10.3.0.${++ip}` });
    // The use case kicks the worker itself; wait for the message to reach the SMTP server.
    const sent = smtp.messages.length;
    await vi.waitFor(async () => {
      await s.mailWorker.drain();
      expect(smtp.messages.length).toBeGreaterThan(sent);
    }, { timeout: 15_000, interval: 50 });
    const mail = smtp.messages.filter((m) => JSON.stringify(m.to ?? "").includes(p.email)).at(-1);
    const link = mail?.text?.match(/https:\/\/cas\.entidad\.test\/restablecer-contrasena\?token=(\S+)/);
    expect(link, "the e-mail carries the link").toBeTruthy();
    return decodeURIComponent(link![1]!);
  }

  it("mails a single-use link to the registered address, storing only its hash, audited", async () => {
    const p = await createPostulante(s);
    const token = await linkFor(p);
    const row = await s.db.query.accountTokens.findFirst({ where: eq(accountTokens.idHash, hashToken(token)) });
    expect(row).toMatchObject({ kind: "restablecer_password", postulanteId: p.id, usedAt: null });
    expect(row!.expiresAt.getTime() - s.clock.now().getTime()).toBe(30 * 60 * 1000);
    const [audited] = await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.restablecimiento_solicitado"));
    expect(audited?.entityId).toBe(p.id);
    expect(JSON.stringify(audited)).not.toContain(p.numeroDocumento);
  });

  it("writes nothing but throttle rows when no account matches", async () => {
    const before = await Promise.all([accountTokens, outbox, auditLog].map((t) => s.db.select({ n: count() }).from(t)));
    await requestPasswordReset({ services: s, tipoDocumento: "CE", numeroDocumento: "000000001", ip: "10.3.9.9" });
    const after = await Promise.all([accountTokens, outbox, auditLog].map((t) => s.db.select({ n: count() }).from(t)));
    expect(after).toEqual(before);
  });

  it("limits requests per account: three free, then a wait", async () => {
    const p = await createPostulante(s);
    const ask = (n: number) =>
      requestPasswordReset({ services: s, tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento, ip: `10.4.0.${n}` });
    for (let i = 0; i < 3; i++) await ask(i);
    expect(codeOf(await failure(ask(9)))).toBe("cuenta.demasiadas_solicitudes");
    s.clock.advance(1000);
    expect(await failure(ask(10))).toBeNull();
  });

  it("limits requests per IP across accounts", async () => {
    for (let i = 0; i < 10; i++) {
      await requestPasswordReset({ services: s, tipoDocumento: "DNI", numeroDocumento: String(20000000 + i), ip: "10.5.0.1" });
    }
    const e = await failure(requestPasswordReset({ services: s, tipoDocumento: "DNI", numeroDocumento: "20000099", ip: "10.5.0.1" }));
    expect(codeOf(e)).toBe("cuenta.demasiadas_solicitudes");
    expect((e as Error).message).toMatch(/^Demasiadas solicitudes\. Espere 1 segundo/);
  });

  it("sets the new password once: the link then fails, the old password no longer works, the new one does", async () => {
    const p = await createPostulante(s);
    const token = await linkFor(p);
    await resetPassword({ services: s, token, password: "Nueva-clave-77" });
    expect(codeOf(await failure(resetPassword({ services: s, token, password: "Otra-clave-88" })))).toBe("cuenta.enlace_restablecer_invalido");
    const login = (password: string) =>
      loginPostulante({ services: s, tipoDocumento: "DNI", numeroDocumento: p.numeroDocumento, password, ip: "10.6.0.1" });
    expect(codeOf(await failure(login(p.password)))).toBe("cuenta.credenciales_invalidas");
    expect((await login("Nueva-clave-77")).postulanteId).toBe(p.id);
    const [audited] = await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.password_restablecido"));
    expect(audited).toMatchObject({ actorType: "postulante", actorId: p.id, entityId: p.id });
  });

  it("refuses a link older than 30 minutes", async () => {
    const p = await createPostulante(s);
    const token = await linkFor(p);
    s.clock.advance(30 * 60 * 1000);
    const e = await failure(resetPassword({ services: s, token, password: "Nueva-clave-77" }));
    expect(codeOf(e)).toBe("cuenta.enlace_restablecer_invalido");
    expect((e as AppError).status).toBe(410);
  });

  it("ends every session of the account, and the account's other links die with the used one", async () => {
    const p = await createPostulante(s);
    const laptop = await createSession(s.db, { postulanteId: p.id }, s.clock.now());
    const phone = await createSession(s.db, { postulanteId: p.id }, s.clock.now());
    const older = await linkFor(p);
    const newer = await linkFor(p);
    await resetPassword({ services: s, token: newer, password: "Nueva-clave-77" });
    expect(await readSession(s.db, laptop, s.clock.now())).toBeNull();
    expect(await readSession(s.db, phone, s.clock.now())).toBeNull();
    expect(codeOf(await failure(resetPassword({ services: s, token: older, password: "Otra-clave-88" })))).toBe("cuenta.enlace_restablecer_invalido");
  });

  it("refuses a password the policy forbids (here: the birth date) and changes nothing", async () => {
    const p = await createPostulante(s, { fechaNacimiento: "1988-03-04" });
    const token = await linkFor(p);
    const e = await failure(resetPassword({ services: s, token, password: "clave04031988" }));
    expect(codeOf(e)).toBe("cuenta.contrasena_rechazada");
    expect((e as Error).message).toBe("La contraseña no debe contener su fecha de nacimiento.");
    const row = await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, p.id) });
    expect(row!.passwordHash).toBe(p.passwordHash);
    const tokenRow = await s.db.query.accountTokens.findFirst({ where: eq(accountTokens.idHash, hashToken(token)) });
    expect(tokenRow!.usedAt).toBeNull();
  });

  it("lets only one of two concurrent resets with the same link through", async () => {
    const p = await createPostulante(s);
    const token = await linkFor(p);
    const results = await Promise.all([
      failure(resetPassword({ services: s, token, password: "Primera-clave-1" })),
      failure(resetPassword({ services: s, token, password: "Segunda-clave-2" })),
    ]);
    expect(results.filter((r) => r === null)).toHaveLength(1);
    expect(results.filter((r) => codeOf(r) === "cuenta.enlace_restablecer_invalido")).toHaveLength(1);
  });
});
