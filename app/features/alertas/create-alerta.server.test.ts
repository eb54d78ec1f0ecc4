import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertas, auditLog, loginThrottle, outbox, postulantes } from "~/db/schema";
import { createPostulante } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { cancelAlertaPorEnlace, deleteAlerta } from "./cancel-alerta.server";
import { confirmAlerta, isConfirmacionUsable } from "./confirm-alerta.server";
import { createAlerta } from "./create-alerta.server";
import { enlaceBaja } from "./alerta.server";
import { listAlertas } from "./list-alertas.server";
import { MAX_ALERTAS_POR_CORREO, MAX_CONFIRMACIONES_POR_DIA } from "./limites";

const BUSQUEDA = { q: "abogado", estado: "" as const, unidad: "", tipoContrato: "", departamento: "15" };
const DAY = 24 * 3600_000;

describe("alerts: double opt-in and bounds per recipient", () => {
  let s: TestServices;
  const create = (email: string, ip = "203.0.113.7", busqueda = BUSQUEDA) => createAlerta({ services: s, busqueda, email, ip });
  const confirmationMails = (to: string) => s.db.select().from(outbox).where(eq(outbox.to, to));
  const tokenOf = (text: string) => text.match(/alertas\/confirmar\?token=([A-Za-z0-9_%-]+)/)![1]!;

  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    s.clock.set(new Date("2026-11-26T15:00:00Z"));
    for (const t of [alertas, outbox, auditLog, loginThrottle, postulantes]) await s.db.delete(t);
  });

  it("an anonymous alert waits for its link: one confirmation e-mail, nothing active until the POST confirms it", async () => {
    expect(await create("ana@correo.test")).toEqual({ estado: "por_confirmar" });
    const [row] = await s.db.select().from(alertas);
    expect(row).toMatchObject({ email: "ana@correo.test", q: "abogado", departamento: "15", confirmedAt: null, postulanteId: null });
    const mails = await confirmationMails("ana@correo.test");
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe("Confirme su alerta de convocatorias – CAS Online");
    expect(mails[0]!.text).toContain("Palabras: «abogado»");
    expect(mails[0]!.text).toContain("Departamento: LIMA");
    const token = decodeURIComponent(tokenOf(mails[0]!.text));
    // Only the hash is kept.
    expect(JSON.stringify(row)).not.toContain(token);

    expect(await isConfirmacionUsable({ db: s.db, token, now: s.clock.now() })).toBe(true);
    await confirmAlerta({ services: s, token });
    const [active] = await s.db.select().from(alertas);
    expect(active!.confirmedAt).toEqual(s.clock.now());
    expect(active!.confirmacionHash).toBeNull();
    expect(active!.proximoEnvioAt).toEqual(new Date("2026-11-27T12:00:00Z")); // 07:00 in Lima, the next morning
    // The link works once.
    await expectRefusal(confirmAlerta({ services: s, token }), "alerta.enlace_invalido", 410, /no es válido/);
  });

  it("a link expires after 7 days and its alert is dropped at the next request", async () => {
    await create("ana@correo.test");
    const token = decodeURIComponent(tokenOf((await confirmationMails("ana@correo.test"))[0]!.text));
    s.clock.advance(7 * DAY + 1000);
    await expectRefusal(confirmAlerta({ services: s, token }), "alerta.enlace_invalido", 410, /venció/);
    await create("ana@correo.test");
    expect(await s.db.select().from(alertas)).toHaveLength(1);
  });

  it(`a stranger's address gets at most ${MAX_CONFIRMACIONES_POR_DIA} confirmation e-mails a day, with the same answer each time`, async () => {
    for (let i = 0; i < MAX_CONFIRMACIONES_POR_DIA + 2; i++) {
      expect(await create("victima@correo.test", `198.51.100.${i}`)).toEqual({ estado: "por_confirmar" });
    }
    expect(await confirmationMails("victima@correo.test")).toHaveLength(MAX_CONFIRMACIONES_POR_DIA);
    // Even when asked at once.
    await Promise.all([0, 1, 2, 3, 4].map((i) => create("otra@correo.test", `192.0.2.${i}`)));
    expect(await confirmationMails("otra@correo.test")).toHaveLength(MAX_CONFIRMACIONES_POR_DIA);
    // The next day, one more.
    s.clock.advance(DAY + 1000);
    await create("victima@correo.test");
    expect(await confirmationMails("victima@correo.test")).toHaveLength(MAX_CONFIRMACIONES_POR_DIA + 1);
  });

  it("one IP address asking for many addresses is throttled (429)", async () => {
    for (let i = 0; i < 10; i++) await create(`persona${i}@correo.test`, "203.0.113.99");
    await expectRefusal(create("una-mas@correo.test", "203.0.113.99"), "alerta.demasiadas_solicitudes", 429, /Demasiadas solicitudes/);
  });

  it(`an address holds at most ${MAX_ALERTAS_POR_CORREO} active alerts; its owner is told when confirming one more`, async () => {
    const p = await createPostulante(s);
    const postulante = { id: p.id, email: p.email, emailVerifiedAt: p.emailVerifiedAt };
    for (let i = 0; i < MAX_ALERTAS_POR_CORREO; i++) {
      expect(await createAlerta({ services: s, busqueda: { ...BUSQUEDA, q: `puesto ${i}` }, postulante, ip: "203.0.113.1" })).toEqual({ estado: "activa" });
    }
    await expectRefusal(createAlerta({ services: s, busqueda: BUSQUEDA, postulante, ip: "203.0.113.1" }), "alerta.demasiadas", 409, /10 alertas activas/);
    // The same address typed anonymously: the link is sent, and confirming it is refused.
    await create(p.email);
    const token = decodeURIComponent(tokenOf((await confirmationMails(p.email))[0]!.text));
    await expectRefusal(confirmAlerta({ services: s, token }), "alerta.demasiadas", 409, /máximo/);
    // No mail to the applicant's own alerts before confirming: they are active at once.
    expect(await confirmationMails(p.email)).toHaveLength(1);
    expect(await listAlertas(s.db, p.id)).toHaveLength(MAX_ALERTAS_POR_CORREO);
  });

  it("an applicant whose address is not verified is asked to verify it first", async () => {
    const p = await createPostulante(s, { emailVerifiedAt: null });
    await expectRefusal(
      createAlerta({ services: s, busqueda: BUSQUEDA, postulante: { id: p.id, email: p.email, emailVerifiedAt: null }, ip: "x" }),
      "alerta.correo_sin_verificar",
      409,
      /Verifique primero/,
    );
  });

  it("the unsubscribe link deletes the alert (twice is fine); a forged one is refused; an applicant deletes only their own", async () => {
    const p = await createPostulante(s);
    const other = await createPostulante(s);
    await createAlerta({ services: s, busqueda: BUSQUEDA, postulante: { id: p.id, email: p.email, emailVerifiedAt: p.emailVerifiedAt }, ip: "x" });
    const [mine] = await listAlertas(s.db, p.id);
    await expectRefusal(deleteAlerta({ services: s, postulanteId: other.id, alertaId: mine!.id }), "alerta.no_encontrada", 404, /No encontramos/);
    const token = new URL(enlaceBaja(s.config, mine!.id)).searchParams.get("token")!;
    await expectRefusal(cancelAlertaPorEnlace({ services: s, token: `${mine!.id}.falso` }), "alerta.enlace_invalido", 410, /no es válido/);
    await cancelAlertaPorEnlace({ services: s, token });
    await cancelAlertaPorEnlace({ services: s, token });
    expect(await s.db.select().from(alertas)).toHaveLength(0);
    const events = (await s.db.select().from(auditLog)).map((r) => `${r.event}:${JSON.stringify(r.details)}`);
    expect(events).toEqual(['alerta.creada:{"porConfirmar":false}', 'alerta.cancelada:{"via":"enlace"}']);
  });
});
