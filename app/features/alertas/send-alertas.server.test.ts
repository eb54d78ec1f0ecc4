import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { alertas, outbox } from "~/db/schema";
import { createPostulante, createStaff } from "../../../tests/support/accounts";
import { makeConvocatoria } from "../../../tests/support/convocatorias";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { createAlerta } from "./create-alerta.server";
import { sendAlertDigests } from "./send-alertas.server";

const HOUR = 3600_000;

describe("alerts: the daily digest", () => {
  let s: TestServices;
  let staffId: string;
  let email: string;
  // Each test searches its own word: the convocatorias of the others stay in the database.
  let palabra = "";
  let n = 0;

  const digests = async () => (await s.db.select().from(outbox).orderBy(outbox.id)).filter((r) => r.causeKey.startsWith("alerta:"));
  async function publish(puesto: string, overrides: Record<string, string> = {}) {
    return makeConvocatoria(s, staffId, { overrides: { puesto: puesto.replace("Abogado", `Abogado ${palabra}`), ...overrides } });
  }

  beforeAll(async () => {
    s = await createTestServices();
    staffId = (await createStaff(s)).id;
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    // 10:00 in Lima; the first digest is due tomorrow at 07:00.
    s.clock.set(new Date("2026-11-26T15:00:00Z"));
    await s.db.delete(alertas);
    await s.db.delete(outbox);
    palabra = `pz${++n}q`;
    const p = await createPostulante(s);
    email = p.email;
    await createAlerta({
      services: s,
      busqueda: { q: `abogado ${palabra}`, estado: "", unidad: "", tipoContrato: "", departamento: "" },
      postulante: { id: p.id, email: p.email, emailVerifiedAt: p.emailVerifiedAt },
      ip: "203.0.113.1",
    });
  });

  it("lists only the convocatorias published since the last digest that match the search, with the unsubscribe headers", async () => {
    const antes = await publish("Abogado antiguo");
    await s.db.update(alertas).set({ desde: s.clock.now() }); // the alert was made after it
    s.clock.advance(2 * HOUR);
    const nueva = await publish("Abogado especialista");
    await publish("Contador general");
    s.clock.set(new Date("2026-11-27T12:05:00Z"));
    expect(await sendAlertDigests(s)).toEqual({ enviados: 1, revisadas: 1 });

    const [mail] = await digests();
    expect(mail!.to).toBe(email);
    expect(mail!.subject).toBe("1 Nueva convocatoria para su alerta – CAS Online");
    expect(mail!.text).toContain(`${nueva.fields.codigo} – Abogado ${palabra} especialista`);
    expect(mail!.text).toContain(`/convocatorias/${nueva.id}`);
    expect(mail!.text).not.toContain("Contador general");
    expect(mail!.text).not.toContain(antes.fields.codigo);
    expect(mail!.text).toContain(`Palabras: «abogado ${palabra}»`);
    const baja = mail!.text.match(/Cancelar esta alerta:\n(\S+)/)![1]!;
    expect(baja).toMatch(/^http:\/\/localhost:\d+\/alertas\/baja\?token=/);
    expect(mail!.headers).toEqual({ "List-Unsubscribe": `<${baja}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });

    // The next day only what is new since.
    s.clock.advance(3 * HOUR);
    const otra = await publish("Abogado asistente");
    s.clock.set(new Date("2026-11-28T12:05:00Z"));
    expect(await sendAlertDigests(s)).toEqual({ enviados: 1, revisadas: 1 });
    const second = (await digests()).find((m) => m.id !== mail!.id)!;
    expect(second.text).toContain(otra.fields.codigo);
    expect(second.text).not.toContain(nueva.fields.codigo);
  });

  it("sends nothing before its time, nothing when nothing matches, and moves on to the next day", async () => {
    await publish("Contador general");
    s.clock.set(new Date("2026-11-27T11:59:00Z")); // 06:59 in Lima
    expect(await sendAlertDigests(s)).toEqual({ enviados: 0, revisadas: 0 });
    s.clock.set(new Date("2026-11-27T12:01:00Z"));
    expect(await sendAlertDigests(s)).toEqual({ enviados: 0, revisadas: 1 });
    expect(await digests()).toHaveLength(0);
    const [row] = await s.db.select().from(alertas);
    expect(row!.proximoEnvioAt).toEqual(new Date("2026-11-28T12:00:00Z"));
    expect(row!.lastSentAt).toBeNull();
  });

  it("sends one e-mail a day when run twice, or by two processes at once", async () => {
    s.clock.advance(HOUR);
    await publish("Abogado especialista");
    s.clock.set(new Date("2026-11-27T12:05:00Z"));
    const results = await Promise.all([sendAlertDigests(s), sendAlertDigests(s)]);
    expect(results.reduce((n, r) => n + r.enviados, 0)).toBe(1);
    expect(await sendAlertDigests(s)).toEqual({ enviados: 0, revisadas: 0 });
    // Even if its next time were put back, the day's cause key keeps it to one message.
    await s.db.update(alertas).set({ proximoEnvioAt: s.clock.now(), desde: new Date("2026-11-01T00:00:00Z") });
    await sendAlertDigests(s);
    expect(await digests()).toHaveLength(1);
  });

  it("leaves out a publication of the last minute: the next digest has it", async () => {
    s.clock.set(new Date("2026-11-27T12:04:30Z"));
    const tardia = await publish("Abogado especialista");
    s.clock.set(new Date("2026-11-27T12:05:00Z"));
    expect((await sendAlertDigests(s)).enviados).toBe(0);
    s.clock.set(new Date("2026-11-28T12:05:00Z"));
    expect((await sendAlertDigests(s)).enviados).toBe(1);
    expect((await digests())[0]!.text).toContain(tardia.fields.codigo);
  });
});
