import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountTokens, auditLog, outbox, postulantes } from "~/db/schema";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { requestEmailVerification } from "./request-email-verification.server";
import { resendEmailVerification } from "./resend-email-verification.server";
import { isEmailVerificationUsable, verifyEmail } from "./verify-email.server";

const HOUR = 3600 * 1000;

describe("e-mail verification", () => {
  let s: TestServices;
  let postulanteId: string;

  async function tokenFromLastMail(): Promise<string> {
    const rows = await s.db.select().from(outbox).orderBy(outbox.id);
    return rows.at(-1)!.text.match(/token=([A-Za-z0-9_-]+)/)![1]!;
  }
  async function sendLink(email = "ana@example.pe") {
    const entity = await s.entidad.current();
    await s.db.transaction((tx) =>
      requestEmailVerification(tx, { postulanteId, email, nombres: "Ana", baseUrl: "http://x", entity, now: s.clock.now() }),
    );
    return tokenFromLastMail();
  }
  const verified = async () =>
    (await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, postulanteId) }))!.emailVerifiedAt;

  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    s.clock.set(new Date("2026-11-26T15:00:00Z"));
    await s.db.delete(postulantes);
    await s.db.delete(outbox);
    await s.db.delete(auditLog);
    const [row] = await s.db
      .insert(postulantes)
      .values({
        nacionalidad: "PE", tipoDocumento: "DNI", numeroDocumento: "12345678", nombres: "Ana", apellidoPaterno: "Rojas",
        fechaNacimiento: "1990-01-01", sexo: "F", email: "ana@example.pe", celular: "987654321", direccion: "Jr. Lima 1",
        passwordHash: "x", consentVersion: "v", consentAt: s.clock.now(),
      })
      .returning({ id: postulantes.id });
    postulanteId = row!.id;
  });

  it("verifies the address once, audits it, and refuses the same link a second time", async () => {
    const token = await sendLink();
    expect(await isEmailVerificationUsable({ db: s.db, token, now: s.clock.now() })).toBe(true);
    await verifyEmail({ db: s.db, token, now: s.clock.now() });
    expect((await verified())?.toISOString()).toBe(s.clock.now().toISOString());
    const audits = await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.email_verificado"));
    expect(audits).toHaveLength(1);
    expect(await isEmailVerificationUsable({ db: s.db, token, now: s.clock.now() })).toBe(false);
    await expect(verifyEmail({ db: s.db, token, now: s.clock.now() })).rejects.toMatchObject({ code: "cuenta.enlace_verificacion_invalido", status: 410 });
  });

  it("lets only one of two simultaneous uses of a link through", async () => {
    const token = await sendLink();
    const results = await Promise.allSettled([1, 2, 3].map(() => verifyEmail({ db: s.db, token, now: s.clock.now() })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await s.db.select().from(auditLog).where(eq(auditLog.event, "postulante.email_verificado"))).toHaveLength(1);
  });

  it("refuses a link older than 24 hours", async () => {
    const token = await sendLink();
    s.clock.advance(24 * HOUR);
    await expect(verifyEmail({ db: s.db, token, now: s.clock.now() })).rejects.toMatchObject({ code: "cuenta.enlace_verificacion_invalido", status: 410 });
    expect(await verified()).toBeNull();
  });

  it("refuses a link for an address the account no longer has, changing nothing", async () => {
    const token = await sendLink();
    await s.db.update(postulantes).set({ email: "nueva@example.pe" }).where(eq(postulantes.id, postulanteId));
    await expect(verifyEmail({ db: s.db, token, now: s.clock.now() })).rejects.toMatchObject({ code: "cuenta.enlace_verificacion_invalido", status: 410 });
    expect(await verified()).toBeNull();
    const [row] = await s.db.select().from(accountTokens);
    expect(row!.usedAt).toBeNull();
  });

  it("refuses made-up and malformed tokens without touching the database rules", async () => {
    for (const token of ["", "x", "a".repeat(43), "' or 1=1 --", null, ["a"], "a".repeat(5000)]) {
      await expect(verifyEmail({ db: s.db, token, now: s.clock.now() })).rejects.toMatchObject({ code: "cuenta.enlace_verificacion_invalido", status: 410 });
    }
  });

  describe("resendEmailVerification", () => {
    const resend = async () => resendEmailVerification({ db: s.db, postulanteId, baseUrl: "http://x", entity: await s.entidad.current(), now: s.clock.now() });

    it("sends a new working link, then refuses another within a minute, and allows it after", async () => {
      expect(await resend()).toBe("enviado");
      expect(await s.db.select().from(outbox)).toHaveLength(1);
      s.clock.advance(59 * 1000);
      await expect(resend()).rejects.toMatchObject({ code: "cuenta.reenvio_muy_pronto", status: 429 });
      expect(await s.db.select().from(outbox)).toHaveLength(1);
      s.clock.advance(2 * 1000);
      expect(await resend()).toBe("enviado");
      expect(await s.db.select().from(outbox)).toHaveLength(2);
      await verifyEmail({ db: s.db, token: await tokenFromLastMail(), now: s.clock.now() });
      expect(await verified()).not.toBeNull();
    });

    it("counts the registration's link too, so a click right after registering waits", async () => {
      await sendLink();
      await expect(resend()).rejects.toMatchObject({ code: "cuenta.reenvio_muy_pronto", status: 429 });
    });

    it("does nothing once the address is verified", async () => {
      await s.db.update(postulantes).set({ emailVerifiedAt: s.clock.now() }).where(eq(postulantes.id, postulanteId));
      expect(await resend()).toBe("ya_verificado");
      expect(await s.db.select().from(outbox)).toHaveLength(0);
    });

    it("sends one e-mail when two clicks arrive together", async () => {
      const results = await Promise.allSettled([resend(), resend()]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      expect(await s.db.select().from(outbox)).toHaveLength(1);
    });
  });
});
