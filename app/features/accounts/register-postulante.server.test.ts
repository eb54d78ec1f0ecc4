import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountTokens, auditLog, loginThrottle, outbox, postulantes } from "~/db/schema";
import type { AppError } from "~/shared/app-error";
import { REGISTRO_FORM } from "../../../tests/support/accounts";
import { codeOf } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { passwordProblem } from "./password-policy.server";
import { PRIVACY_NOTICE_VERSION } from "./privacy";
import {
  isUniqueViolation, registerPostulante, REGISTRO_FREE_PER_IP, sealPaso1, unsealPaso1,
} from "./register-postulante.server";
import { registroDatosSchema, registroPaso1Schema, type RegistroPaso1 } from "./registro.schema";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";

const paso1: RegistroPaso1 = { nacionalidad: "PE", tipoDocumento: "DNI", numeroDocumento: "45871236" };
const form = REGISTRO_FORM;

describe("registerPostulante", () => {
  let s: TestServices;
  const schema = (p = paso1) =>
    registroDatosSchema({ paso1: p, today: () => s.clock.now(), checks: { passwordProblem, isDistrito } });
  const register = (overrides: Partial<typeof form> = {}, p = paso1, ip = "10.9.0.1") =>
    registerPostulante({
      services: s,
      paso1: p,
      datos: schema(p).parse({ ...form, ...overrides }),
      baseUrl: "https://cas.example.pe",
      ip,
    });
  const registered = async (...args: Parameters<typeof register>) => {
    const result = await register(...args);
    if (result.outcome !== "registrado") throw new Error("expected a new account");
    return result;
  };

  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    await s.db.delete(postulantes);
    await s.db.delete(outbox);
    await s.db.delete(auditLog);
    await s.db.delete(loginThrottle);
  });

  it("stores the postulante with an argon2id hash, the consent version and time, and the ubigeo", async () => {
    const { postulanteId } = await registered();
    const row = await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, postulanteId) });
    expect(row).toMatchObject({
      nacionalidad: "PE",
      tipoDocumento: "DNI",
      numeroDocumento: "45871236",
      nombres: "María José",
      apellidoMaterno: "Mamani",
      fechaNacimiento: "1990-07-14",
      email: "maria@example.pe",
      ubigeo: "150101",
      telefono: null,
      consentVersion: PRIVACY_NOTICE_VERSION,
      emailVerifiedAt: null,
    });
    expect(row!.consentAt.toISOString()).toBe(s.clock.now().toISOString());
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await s.hasher.verify(row!.passwordHash, "Cusco 2026 azul")).toBe(true);
  });

  it("audits postulante.registrado without personal data", async () => {
    const { postulanteId } = await registered();
    const rows = await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.registrado"));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorType: "postulante", actorId: postulanteId, entityId: postulanteId });
    const details = JSON.stringify(rows[0]!.details);
    for (const secret of ["45871236", "maria@example.pe", "Quispe", "1990-07-14", "987654321"]) expect(details).not.toContain(secret);
  });

  it("queues one verification e-mail, in Spanish, with a 24-hour single-use link", async () => {
    const { postulanteId } = await registered();
    const mails = await s.db.select().from(outbox);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toBe("maria@example.pe");
    expect(mail.subject).toBe("Verifique su correo – CAS Online");
    const token = mail.text.match(/https:\/\/cas\.example\.pe\/verificar-correo\?token=([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    const [row] = await s.db.select().from(accountTokens).where(eq(accountTokens.postulanteId, postulanteId));
    expect(row).toMatchObject({ kind: "verificar_email", email: "maria@example.pe", usedAt: null });
    expect(row!.idHash).not.toBe(token); // only the hash is stored
    expect(mail.causeKey).toBe(`verificar-email:${row!.idHash}`);
    expect(row!.expiresAt.getTime() - s.clock.now().getTime()).toBe(24 * 3600 * 1000);
  });

  it("answers a second registration of the same document as a new one, and mails the owner at the address on file (issue 11)", async () => {
    await registered();
    const again = await register({ email: "otra@example.pe", emailConfirmacion: "otra@example.pe" });
    expect(again).toEqual({ outcome: "existente" });
    expect(await s.db.select().from(postulantes)).toHaveLength(1);
    const warned = (await s.db.select().from(outbox)).filter((m) => m.subject === "Intento de registro con sus datos – CAS Online");
    expect(warned).toHaveLength(1);
    // To the owner, never to the address just typed; with the way back in.
    expect(warned[0]!.to).toBe("maria@example.pe");
    expect(warned[0]!.text).toContain("https://cas.example.pe/recuperar-contrasena");
    expect(warned[0]!.text).not.toContain("otra@example.pe");
    expect(await s.db.select().from(outbox).where(eq(outbox.to, "otra@example.pe"))).toHaveLength(0);
    const [audited] = await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.registro_repetido"));
    expect(audited).toMatchObject({ actorType: "system", entityType: "postulante" });
  });

  it("answers a registration with another account's e-mail (any case) the same way, mailing that account", async () => {
    await registered();
    const other: RegistroPaso1 = { nacionalidad: "VE", tipoDocumento: "CE", numeroDocumento: "001234567" };
    const again = await register({ email: "MARIA@Example.pe", emailConfirmacion: "maria@example.pe", apellidoMaterno: "" }, other);
    expect(again).toEqual({ outcome: "existente" });
    expect(await s.db.select().from(postulantes)).toHaveLength(1);
    expect(await s.db.select().from(outbox).where(eq(outbox.subject, "Intento de registro con sus datos – CAS Online"))).toHaveLength(1);
  });

  it("lets only one of two simultaneous registrations of one document through", async () => {
    const results = await Promise.all([
      register(),
      register({ email: "b@example.pe", emailConfirmacion: "b@example.pe" }),
      register({ email: "c@example.pe", emailConfirmacion: "c@example.pe" }),
    ]);
    expect(results.filter((r) => r.outcome === "registrado")).toHaveLength(1);
    expect(await s.db.select().from(postulantes)).toHaveLength(1);
  });

  it("throttles registrations per document and per IP with a 429, whether the data were new or not", async () => {
    // Per document: three attempts, then a wait, even from other addresses.
    for (let i = 0; i < 3; i++) await register({}, paso1, `10.9.1.${i}`);
    const perDocument = await register({}, paso1, "10.9.1.9").catch((e: unknown) => e);
    expect(codeOf(perDocument)).toBe("cuenta.demasiados_registros");
    expect((perDocument as AppError).status).toBe(429);
    expect((perDocument as Error).message).toBe("Demasiados registros seguidos. Espere 1 segundo antes de volver a intentarlo.");
    // Per IP: a prober walking through documents from one address.
    const ip = "10.9.2.1";
    for (let i = 0; i < REGISTRO_FREE_PER_IP; i++) {
      const dni = String(50000000 + i);
      await register({ email: `p${i}@example.pe`, emailConfirmacion: `p${i}@example.pe` }, { ...paso1, numeroDocumento: dni }, ip);
    }
    const perIp = await register(
      { email: "q@example.pe", emailConfirmacion: "q@example.pe" },
      { ...paso1, numeroDocumento: "59999999" },
      ip,
    ).catch((e: unknown) => e);
    expect(codeOf(perIp)).toBe("cuenta.demasiados_registros");
  }, 120_000);

  it("recognises a unique violation through drizzle's wrapper", () => {
    expect(isUniqueViolation({ message: "x", cause: { code: "23505" } })).toBe(true);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isUniqueViolation(new Error("x"))).toBe(false);
  });
});

describe("the step-1 cookie", () => {
  const secret = "s".repeat(40);
  const now = new Date("2026-11-26T15:00:00Z");
  it("round-trips step 1's answers for 30 minutes", () => {
    const sealed = sealPaso1(secret, paso1, now);
    expect(sealed).not.toContain("45871236");
    expect(unsealPaso1(secret, sealed, new Date(now.getTime() + 29 * 60 * 1000))).toEqual(paso1);
    expect(unsealPaso1(secret, sealed, new Date(now.getTime() + 30 * 60 * 1000))).toBeNull();
  });
  it("refuses an altered payload or signature, or another secret", () => {
    const sealed = sealPaso1(secret, paso1, now);
    const [payload, mac] = sealed.split(".");
    const forged = Buffer.from(JSON.stringify({ n: "PE", t: "DNI", d: "11111111", exp: now.getTime() + 60000 })).toString("base64url");
    expect(unsealPaso1(secret, `${forged}.${mac}`, now)).toBeNull();
    expect(unsealPaso1(secret, `${payload}.${mac}x`, now)).toBeNull();
    expect(unsealPaso1("t".repeat(40), sealed, now)).toBeNull();
    expect(unsealPaso1(secret, "garbage", now)).toBeNull();
    expect(unsealPaso1(secret, undefined, now)).toBeNull();
  });
});

describe("the registration schemas", () => {
  const today = () => new Date("2026-11-26T15:00:00Z");
  const datos = (p: RegistroPaso1, input: Record<string, unknown>) =>
    registroDatosSchema({ paso1: p, today, checks: { passwordProblem, isDistrito } }).safeParse(input);
  // The first message of each field, as parseForm shows it.
  const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) => {
    const errors: Record<string, string> = {};
    for (const i of r.error?.issues ?? []) errors[String(i.path[0])] ??= i.message;
    return errors;
  };

  it("step 1: a Peruvian must use the DNI and a foreigner must not", () => {
    expect(registroPaso1Schema.safeParse({ nacionalidad: "PE", tipoDocumento: "PASAPORTE", numeroDocumento: "AB123456" }).success).toBe(false);
    expect(registroPaso1Schema.safeParse({ nacionalidad: "CO", tipoDocumento: "DNI", numeroDocumento: "12345678" }).success).toBe(false);
    expect(registroPaso1Schema.safeParse({ nacionalidad: "CO", tipoDocumento: "PASAPORTE", numeroDocumento: "ab-123456" }).data).toEqual({
      nacionalidad: "CO",
      tipoDocumento: "PASAPORTE",
      numeroDocumento: "AB123456",
    });
  });
  it("step 1: the number must fit its type", () => {
    const r = registroPaso1Schema.safeParse({ nacionalidad: "PE", tipoDocumento: "DNI", numeroDocumento: "1234567" });
    expect(errorsOf(r)).toEqual({ numeroDocumento: "El DNI debe tener exactamente 8 dígitos." });
  });
  it("step 2: shows every problem at once, cross-field ones included", () => {
    const r = datos(paso1, { ...form, nombres: "", emailConfirmacion: "x@example.pe", password: "maria45871236", passwordConfirmacion: "" });
    expect(errorsOf(r)).toMatchObject({
      nombres: "Ingrese sus nombres.",
      emailConfirmacion: "Los correos electrónicos no coinciden.",
      password: "La contraseña no debe contener su número de documento.",
    });
  });
  it("step 2: the second surname is required of Peruvians only", () => {
    expect(errorsOf(datos(paso1, { ...form, apellidoMaterno: " " }))).toHaveProperty("apellidoMaterno");
    const foreigner: RegistroPaso1 = { nacionalidad: "AR", tipoDocumento: "CE", numeroDocumento: "001234567" };
    const r = datos(foreigner, { ...form, apellidoMaterno: "" });
    expect(r.success && r.data.apellidoMaterno).toBeNull();
  });
  it("step 2: an address in Peru needs a real district of the chosen provincia; abroad, no ubigeo", () => {
    expect(errorsOf(datos(paso1, { ...form, distrito: "" }))).toEqual({ distrito: "Seleccione el distrito." });
    expect(errorsOf(datos(paso1, { ...form, distrito: "150199" }))).toEqual({ distrito: "Seleccione el distrito." });
    expect(errorsOf(datos(paso1, { ...form, provincia: "0101" }))).toEqual({ provincia: "Seleccione la provincia." });
    const abroad = datos(paso1, { ...form, paisResidencia: "CL", departamento: "", provincia: "", distrito: "" });
    expect(abroad.success && abroad.data.ubigeo).toBeNull();
  });
  it("step 2: the passwords must match, and the birth date cannot be in the password", () => {
    expect(errorsOf(datos(paso1, { ...form, passwordConfirmacion: "otra cosa 1" }))).toEqual({
      passwordConfirmacion: "Las contraseñas no coinciden.",
    });
    expect(errorsOf(datos(paso1, { ...form, password: "Clave14071990", passwordConfirmacion: "Clave14071990" }))).toEqual({
      password: "La contraseña no debe contener su fecha de nacimiento.",
    });
  });
  it("step 2: consent to the privacy notice is required", () => {
    expect(errorsOf(datos(paso1, { ...form, consentimiento: undefined }))).toHaveProperty("consentimiento");
  });
});
