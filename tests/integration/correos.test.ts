import { asc, eq } from "drizzle-orm";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluacionEtapas, postulantes } from "~/db/schema";
import { passwordProblem } from "~/features/accounts/password-policy.server";
import { registerPostulante } from "~/features/accounts/register-postulante.server";
import { registroDatosSchema, type RegistroPaso1 } from "~/features/accounts/registro.schema";
import { requestEmailVerification } from "~/features/accounts/request-email-verification.server";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";
import { requestPasswordReset } from "~/features/accounts/request-password-reset.server";
import { updatePerfil } from "~/features/accounts/update-perfil.server";
import type { DatosContacto } from "~/features/accounts/perfil.schema";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { desistirPostulacion } from "~/features/postulacion/desistir-postulacion.server";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { createPostulante, createStaff, REGISTRO_FORM } from "../support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones } from "../support/evaluacion";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, readyToFinalize } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";
import { receivedMail, startSmtpServer } from "../support/smtp";

/**
 * Issue 12, item 6: every kind of message the app sends, through the outbox and real SMTP,
 * parsed with mailparser — multipart/alternative with a plain text part and an accessible
 * HTML part (lang="es", the entity's name, inline styles, no remote images, links that say
 * where they lead), every link under BASE_URL, accents intact in both parts.
 */
describe("E-mails people can read", { timeout: 120_000 }, () => {
  const BASE_URL = "https://cas.entidad.test";
  const ENTITY = "Superintendencia Nacional de Migraciones — Perú";
  let s: TestServices;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url, BASE_URL, ENTITY_NAME: ENTITY } });
  });
  afterAll(async () => {
    await s?.close();
    await smtp?.close();
  });

  const received = (to: string, subject: RegExp) => receivedMail(s, smtp, to, subject);

  /** What every message must be; `words` are accented words that must survive in both parts. */
  function expectReadable(m: ParsedMail & { source: string }, words: string[]) {
    expect(m.source).toMatch(/^Content-Type: multipart\/alternative;/im);
    expect(m.source).toMatch(/^Content-Type: text\/plain; charset=utf-8/im);
    expect(m.source).toMatch(/^Content-Type: text\/html; charset=utf-8/im);
    const text = m.text ?? "";
    const html = typeof m.html === "string" ? m.html : "";
    expect(text.length).toBeGreaterThan(0);
    expect(html.length).toBeGreaterThan(0);
    // The HTML part is its own, not the text converted.
    expect(html).toMatch(/^<!DOCTYPE html><html lang="es">/);
    expect(html).toContain(`<title>${m.subject}</title>`);
    expect(html).not.toMatch(/<img|<link|<style|<script|\bsrc=|url\(/i);
    expect(html).toMatch(/style="/);
    for (const part of [text, html]) {
      expect(part).toContain(ENTITY);
      for (const word of words) expect(part).toContain(word);
    }
    // Every link leads into the app, and its text says where (never the bare address or "aquí").
    const hrefs = [...html.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([^<]*)<\/a>/g)];
    expect(hrefs.length).toBe((html.match(/<a\b/g) ?? []).length);
    for (const [, href, label] of hrefs) {
      expect(href!.replaceAll("&amp;", "&").startsWith(`${BASE_URL}/`), href).toBe(true);
      expect(label!.trim().length).toBeGreaterThan(3);
      expect(label).not.toMatch(/^(https?:|aquí$|clic|click)/i);
    }
    const urls = text.match(/https?:\/\/\S+/g) ?? [];
    expect(urls.length).toBe(hrefs.length);
    for (const url of urls) expect(url.startsWith(`${BASE_URL}/`), url).toBe(true);
    return { text, html, hrefs: hrefs.map((h) => h[1]!.replaceAll("&amp;", "&")) };
  }

  it("verification of the e-mail address", async () => {
    const p = await createPostulante(s, { nombres: "María José" });
    const entity = await s.entidad.current();
    await s.db.transaction((tx) =>
      requestEmailVerification(tx, { postulanteId: p.id, email: p.email, nombres: p.nombres, baseUrl: BASE_URL, entity, now: s.clock.now() }),
    );
    const m = await received(p.email, /Verifique su correo/);
    const { hrefs, html } = expectReadable(m, ["María José", "«Verificar mi correo»", "dirección"]);
    expect(hrefs).toEqual([expect.stringMatching(new RegExp(`^${BASE_URL}/verificar-correo\\?token=[A-Za-z0-9_-]+$`))]);
    expect(html).toContain(">Verificar mi correo</a>");
  });

  it("password reset", async () => {
    const p = await createPostulante(s, { nombres: "Ñusta" });
    await requestPasswordReset({ services: s, tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento, ip: "192.0.2.10" });
    const m = await received(p.email, /Restablecer su contraseña/);
    const { hrefs } = expectReadable(m, ["Ñusta", "contraseña", "sesiones"]);
    expect(hrefs).toEqual([expect.stringMatching(new RegExp(`^${BASE_URL}/restablecer-contrasena\\?token=`))]);
  });

  it("the e-mail address changed (to the old address) and the verification of the new one", async () => {
    const p = await createPostulante(s, { nombres: "Agustín" });
    const [row] = await s.db.select().from(postulantes).where(eq(postulantes.id, p.id));
    const nuevo = `nuevo.${p.email}`;
    const input = {
      email: nuevo,
      celular: row!.celular,
      telefono: row!.telefono,
      paisResidencia: row!.paisResidencia,
      direccion: row!.direccion,
      ubigeo: row!.ubigeo,
      // Changing the e-mail asks for the current password (issue 11).
      passwordCorreo: p.password,
    } as DatosContacto;
    await updatePerfil({ services: s, postulanteId: p.id, input });
    const aviso = await received(p.email, /Su correo electrónico en CAS Online cambió/);
    const { hrefs } = expectReadable(aviso, ["Agustín", "«Mi Perfil»", "dirección", "7 días"]);
    // The one link undoes the change (a single-use token), labelled as such.
    expect(hrefs).toEqual([expect.stringMatching(new RegExp(`^${BASE_URL}/deshacer-cambio-correo\\?token=`))]);
    expectReadable(await received(nuevo, /Verifique su correo/), ["Agustín"]);
  });

  it("a registration tried with an existing account's data: the owner is told at the address on file", async () => {
    const owner = await createPostulante(s, { nombres: "Ángela" });
    const paso1 = { nacionalidad: "PE", tipoDocumento: owner.tipoDocumento, numeroDocumento: owner.numeroDocumento } as RegistroPaso1;
    const datos = registroDatosSchema({ paso1, today: () => s.clock.now(), checks: { passwordProblem, isDistrito } }).parse({
      ...REGISTRO_FORM,
      nombres: "Intruso",
      apellidoPaterno: "Pérez",
      apellidoMaterno: "Gómez",
      sexo: "M",
      email: "otro.correo@example.pe",
      emailConfirmacion: "otro.correo@example.pe",
    });
    expect(await registerPostulante({ services: s, paso1, datos, baseUrl: BASE_URL, ip: "10.0.0.9" })).toEqual({ outcome: "existente" });
    const m = await received(owner.email, /Intento de registro con sus datos/);
    const { hrefs } = expectReadable(m, ["Ángela", "número de documento", "Restablecer mi contraseña"]);
    expect(hrefs).toEqual([`${BASE_URL}/recuperar-contrasena`]);
  });

  it("the postulación registered: the constancia attached and a link to the postulación", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s, { nombres: "Andrés Eloy", apellidoPaterno: "Meaño" });
    await readyToFinalize(s, p.id, c.id, await normalPdf(1));
    const done = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    const m = await received(p.email, new RegExp(`Postulación registrada N° ${done.numero}`));
    const { hrefs, html } = expectReadable(m, ["Andrés Eloy", "Meaño", "Su postulación ha sido registrada satisfactoriamente", "Declaraciones", "página"]);
    expect(hrefs).toEqual([`${BASE_URL}/postulacion/${c.id}/confirmada`]);
    expect(html).toContain(`>Ver mi postulación N° ${done.numero}</a>`);
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`constancia-${done.numero}.pdf`, "application/pdf"]]);
    expect(m.source).toMatch(/^Content-Type: multipart\/mixed;/im);
  });

  it("the desistimiento (issue 17): the constancia de desistimiento attached and a link to the postulación", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s, { nombres: "Andrés Eloy", apellidoPaterno: "Meaño" });
    await readyToFinalize(s, p.id, c.id, await normalPdf(1));
    const { numero } = await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    await desistirPostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, motivo: "Cambié de ciudad: me mudé a Huánuco." });
    const m = await received(p.email, new RegExp(`Constancia de desistimiento — postulación N° ${numero}`));
    const { hrefs, html } = expectReadable(m, ["Andrés Eloy", "Meaño", "Registramos su desistimiento", "Huánuco", "No es posible volver a postular"]);
    expect(hrefs).toEqual([`${BASE_URL}/postulacion/${c.id}/desistida`]);
    expect(html).toContain(`>Ver mi postulación N° ${numero}</a>`);
    expect(m.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`constancia-desistimiento-${numero}.pdf`, "application/pdf"]]);
  });

  it("results published: one notice per applicant with links to the list and to Mis postulaciones", async () => {
    const gestor = await createStaff(s, "gestor");
    const evaluador = await createStaff(s, "evaluador");
    const conv = await createConvocatoria(s);
    const [a] = await createPostulaciones(s, conv.id, 1);
    await ensureEvaluacion(s.db, conv.id);
    const [curricular] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    await assignDirect(s, curricular!.id, [evaluador.id]);
    await recordPuntaje({ services: s, actorId: evaluador.id, etapaId: curricular!.id, filas: [{ postulacionId: a!.id, puntaje: "40", observacion: "" }] });
    await publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance: { etapaId: curricular!.id }, motivo: null });
    const m = await received(a!.email, new RegExp(conv.codigo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const { hrefs } = expectReadable(m, ["evaluación curricular", `Postulación N° ${a!.numero}`]);
    expect(hrefs).toEqual([`${BASE_URL}/convocatorias/${conv.id}`, `${BASE_URL}/mis-postulaciones`]);
  });
});
