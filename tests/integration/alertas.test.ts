import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { alertas, postulantes } from "~/db/schema";
import { sendAlertDigests } from "~/features/alertas/send-alertas.server";
import { createPostulante, createStaff } from "../support/accounts";
import { makeConvocatoria, signIn } from "../support/convocatorias";
import { useTestApp, type TestApp, type TestSmtp } from "../support/http-suite";
import type { TestServices } from "../support/services";
import { receivedMail } from "../support/smtp";

/**
 * Alerts over HTTP (issue 17): the double opt-in journey without JavaScript, the digest over real
 * SMTP with its RFC 8058 headers, and the one-click unsubscribe — a POST with no cookie, no CSRF
 * token and no Origin, as a mail provider's server sends it — while every other form still needs
 * its token.
 */
describe("alerts over HTTP", { timeout: 120_000 }, () => {
  let s: TestServices;
  let smtp: TestSmtp;
  let app: TestApp;
  let staffId: string;

  useTestApp({ smtp: true }, async (t) => {
    ({ s, app, smtp } = t);
    staffId = (await createStaff(s)).id;
  });

  const received = (to: string, subject: RegExp) => receivedMail(s, smtp, to, subject);
  /** A link of the e-mail, on the test server. */
  const local = (link: string) => {
    const url = new URL(link);
    return url.pathname + url.search;
  };
  const oneClick = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(app.baseUrl + path, { method: "POST", body, headers, redirect: "manual" });

  it("anonymous: list → Crear alerta → Revise su correo → link → Confirmar → digest with both headers → one click cancels it", async () => {
    const c = app.client();
    const list = await c.get("/convocatorias?q=abogado&departamento=15&page=2");
    expect(list.html).toContain('href="/alertas/nueva?q=abogado&amp;departamento=15"');
    const page = await c.get("/alertas/nueva?q=abogado&departamento=15");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Palabras: «abogado»");
    expect(page.html).toContain("Departamento: LIMA");

    const fields = { q: "abogado", estado: "", unidad: "", tipoContrato: "", departamento: "15" };
    const empty = await c.post("/alertas/nueva?q=abogado&departamento=15", { ...fields, email: "" });
    expect(empty.status).toBe(422);
    // The page again, with its search: the form posts to its own address.
    expect(page.html).toContain('action="/alertas/nueva?q=abogado&amp;departamento=15"');
    expect(empty.html).toContain("Palabras: «abogado»");
    // At the field and in the summary.
    expect(empty.html.match(/Ingrese su correo electrónico\./g)?.length).toBeGreaterThanOrEqual(2);
    const bad = await c.post("/alertas/nueva", { ...fields, email: "no-es-correo" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Ingrese un correo electrónico válido");

    const sent = await c.post("/alertas/nueva", { ...fields, email: "  Lucia.Torres@Correo.TEST " });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("location")).toBe("/alertas/nueva?enviada=1");
    expect((await c.get("/alertas/nueva?enviada=1")).html).toContain("Revise su correo");
    const [pending] = await s.db.select().from(alertas).where(eq(alertas.email, "lucia.torres@correo.test"));
    expect(pending!.confirmedAt).toBeNull();

    const confirmation = await received("lucia.torres@correo.test", /Confirme su alerta/);
    const link = (confirmation.text ?? "").match(/Confirmar mi alerta:\n(\S+)/)![1]!;
    // Opening the link (a mail scanner does) confirms nothing.
    const opened = await c.get(local(link));
    expect(opened.html).toContain("Confirmar mi alerta");
    expect((await s.db.query.alertas.findFirst({ where: eq(alertas.id, pending!.id) }))!.confirmedAt).toBeNull();
    const confirmed = await c.post("/alertas/confirmar", { token: new URL(link).searchParams.get("token")! });
    expect(confirmed.status).toBe(302);
    // It lands on the alert's own page, which can cancel it.
    expect(confirmed.headers.get("location")).toMatch(/^\/alertas\/baja\?token=[^&]+&confirmada=1$/);
    const landed = await c.get(confirmed.headers.get("location")!);
    expect(landed.html).toContain("Alerta confirmada");
    expect(landed.html).toContain("Cancelar alerta");

    s.clock.advance(3600_000);
    const nueva = await makeConvocatoria(s, staffId, { overrides: { puesto: "Abogado para la Oficina de Asesoría Jurídica" } });
    await makeConvocatoria(s, staffId, { overrides: { puesto: "Abogado en Arequipa", ubigeo: "040101" } });
    s.clock.set(new Date("2026-11-27T12:30:00Z"));
    expect((await sendAlertDigests(s)).enviados).toBe(1);
    const digest = await received("lucia.torres@correo.test", /Nueva convocatoria para su alerta/);
    // The header section as received, long lines unfolded (RFC 5322 folds at whitespace).
    const head = digest.source.slice(0, digest.source.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, " ");
    expect(head).toMatch(/^List-Unsubscribe: <http:\/\/[^>\s]+\/alertas\/baja\?token=[^>\s]+>\r?$/m);
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(digest.text).toContain(`${nueva.fields.codigo} – Abogado para la Oficina de Asesoría Jurídica`);
    expect(digest.text).not.toContain("Arequipa");
    expect(digest.html).toContain(`/convocatorias/${nueva.id}`);
    const baja = local(head.match(/^List-Unsubscribe: <([^>]+)>/m)![1]!);

    // GET (a scanner, or the person) shows the button and deletes nothing.
    const bajaPage = await fetch(app.baseUrl + baja);
    expect(bajaPage.status).toBe(200);
    expect(await bajaPage.text()).toContain("Cancelar alerta");
    expect(await s.db.select().from(alertas).where(eq(alertas.id, pending!.id))).toHaveLength(1);

    // Not the RFC's body: refused, nothing deleted.
    expect((await oneClick(baja, new URLSearchParams({ otra: "cosa" }))).status).toBe(400);
    // The mail provider's one click: no cookie, no CSRF token, no Origin.
    const res = await oneClick(baja, new URLSearchParams({ "List-Unsubscribe": "One-Click" }));
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Alerta cancelada");
    expect(await s.db.select().from(alertas).where(eq(alertas.id, pending!.id))).toHaveLength(0);
    // Again (a retry): the same answer.
    expect((await oneClick(baja, new URLSearchParams({ "List-Unsubscribe": "One-Click" }))).status).toBe(200);
    // A token this server did not sign.
    expect((await oneClick(`/alertas/baja?token=${pending!.id}.falso`, new URLSearchParams({ "List-Unsubscribe": "One-Click" }))).status).toBe(410);
  });

  it("accepts the one click as multipart/form-data (RFC 8058's preference), bounded to a few KiB", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await signIn(s, c, { postulanteId: p.id });
    await c.get("/alertas/nueva?q=contador");
    expect((await c.post("/alertas/nueva", { q: "contador", email: "otra@correo.test" })).status).toBe(302);
    const [row] = await s.db.select().from(alertas).where(eq(alertas.postulanteId, p.id));
    // The account's address, not the one posted.
    expect(row!.email).toBe(p.email);
    const { enlaceBaja } = await import("~/features/alertas/alerta.server");
    const baja = local(enlaceBaja(s.config, row!.id));
    const big = new FormData();
    big.append("List-Unsubscribe", "One-Click");
    big.append("relleno", "x".repeat(8 * 1024));
    expect((await oneClick(baja, big)).status).toBe(413);
    const form = new FormData();
    form.append("List-Unsubscribe", "One-Click");
    expect((await oneClick(baja, form)).status).toBe(200);
    expect(await s.db.select().from(alertas).where(eq(alertas.id, row!.id))).toHaveLength(0);
  });

  it("every other alert form still needs its CSRF token (403)", async () => {
    const p = await createPostulante(s);
    const c = app.client();
    await signIn(s, c, { postulanteId: p.id });
    await c.get("/alertas/nueva");
    expect((await c.post("/alertas/nueva", { q: "x", email: "a@correo.test" }, { csrf: null })).status).toBe(403);
    expect((await c.post("/alertas/confirmar", { token: "x" }, { csrf: null })).status).toBe(403);
    expect((await c.post("/alertas", { alertaId: crypto.randomUUID() }, { csrf: null })).status).toBe(403);
    expect(await s.db.select().from(alertas).where(eq(alertas.postulanteId, p.id))).toHaveLength(0);
  });

  it("signed in: Mis alertas lists the applicant's own and deletes them; another applicant's is not theirs to delete", async () => {
    const p = await createPostulante(s);
    const other = await createPostulante(s);
    const c = app.client();
    await signIn(s, c, { postulanteId: p.id });
    const form = await c.get("/alertas/nueva?estado=en_postulacion");
    expect(form.html).toMatch(/<input id="campo-email"[^>]* type="email"[^>]* readOnly=""/);
    expect(form.html).toContain(`value="${p.email}"`);
    expect((await c.post("/alertas/nueva", { estado: "en_postulacion", email: p.email })).headers.get("location")).toBe("/alertas?creada=1");
    const mine = await c.get("/alertas?creada=1");
    expect(mine.html).toContain("Alerta creada.");
    expect(mine.html).toContain("Estado: En postulación");
    const [row] = await s.db.select().from(alertas).where(eq(alertas.postulanteId, p.id));
    expect(row!.confirmedAt).not.toBeNull();

    const o = app.client();
    await signIn(s, o, { postulanteId: other.id });
    await o.get("/alertas");
    expect((await o.post("/alertas", { alertaId: row!.id })).status).toBe(404);
    expect((await c.post("/alertas", { alertaId: row!.id })).headers.get("location")).toBe("/alertas?eliminada=1");
    expect(await s.db.select().from(alertas).where(eq(alertas.postulanteId, p.id))).toHaveLength(0);

    // Mis alertas needs a session.
    expect((await app.client().get("/alertas")).status).toBe(302);
    // An unverified address is told at the field.
    await s.db.update(postulantes).set({ emailVerifiedAt: null }).where(eq(postulantes.id, p.id));
    const refused = await c.post("/alertas/nueva", { q: "x", email: p.email });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain("Verifique primero su correo");
  });
});
