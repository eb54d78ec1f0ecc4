import { and, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { auditLog, convocatorias, postulaciones } from "~/db/schema";
import { createPostulante, createStaff, signedInClient } from "../support/accounts";
import { useTestApp, type TestApp, type TestSmtp } from "../support/http-suite";
import { pdfText } from "../support/pdf-text";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, fetchBytes, HOUR, readyToFinalize, signIn } from "../support/postulacion";
import type { TestServices } from "../support/services";

/**
 * Issue 17, "Desistimiento", over HTTP with a no-JS client: the button, the confirmation page,
 * CSRF, another applicant's 404, the window, the page that says it is done, the constancia de
 * desistimiento, what stays readable (files, ficha, constancia) and what is refused (finalizing
 * or uploading again, applying again), and what the HR office sees (list, expediente, Excel).
 */
describe("desistimiento over HTTP", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: TestApp;
  let smtp: TestSmtp;
  let pdf: Uint8Array;

  useTestApp({ smtp: true }, async (t) => {
    ({ s, app, smtp } = t);
    pdf = await normalPdf(1, "Documento");
  });

  const text = (html: string) => html.replaceAll("<!-- -->", "").replaceAll("&quot;", '"');

  /** A registrada postulación of a new applicant, signed in (no JS). */
  async function registrada() {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const postulacionId = await readyToFinalize(s, p.id, c.id, pdf);
    const client = await signIn(s, app.client(), p);
    await client.get(`/postulacion/${c.id}/finalizar`);
    const fin = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
    expect(fin.status).toBe(302);
    const { numero } = (await s.db.query.postulaciones.findFirst({ where: eq(postulaciones.id, postulacionId) }))!;
    return { c, p, client, postulacionId, numero: numero! };
  }
  const estado = async (id: string) => (await s.db.query.postulaciones.findFirst({ where: eq(postulaciones.id, id) }))!.estado;

  it("offers the button, confirms, refuses without CSRF, then records it and says so with the constancia", async () => {
    const { c, p, client, postulacionId, numero } = await registrada();

    // The button on the Postulación page and on Mis postulaciones, both to the confirmation page.
    const page = await client.get(`/postulacion/${c.id}`);
    expect(page.html).toMatch(new RegExp(`<a [^>]*href="/postulacion/${c.id}/desistir"[^>]*>Desistir de la postulación</a>`));
    const mis = await client.get("/mis-postulaciones");
    expect(text(mis.html)).toMatch(new RegExp(`href="/postulacion/${c.id}/desistir"[^>]*>Desistir de la postulación<span class="visually-hidden"> a ${c.codigo}</span>`));

    // GET: what will happen, the optional reason with its visible label, the confirm button.
    const confirm = await client.get(`/postulacion/${c.id}/desistir`);
    expect(confirm.status).toBe(200);
    const html = text(confirm.html);
    expect(html).toContain("<h1>Desistir de la postulación</h1>");
    expect(html).toContain(numero);
    expect(html).toContain("dejará de participar en la evaluación");
    expect(html).toContain("No podrá volver a postular a esta convocatoria");
    expect(html).toMatch(/<label for="campo-motivo">Motivo<span class="optional"> \(opcional\)<\/span><\/label>/);
    expect(html).toContain('<textarea id="campo-motivo" name="motivo"');
    expect(html).toContain(">Confirmar desistimiento</button>");

    // No CSRF token: 403, nothing done.
    const forged = await client.post(`/postulacion/${c.id}/desistir`, { motivo: "x" }, { csrf: null });
    expect(forged.status).toBe(403);
    expect(await estado(postulacionId)).toBe("registrada");

    // A reason over 500 characters: 422 at the field and in the summary, what was typed kept.
    const largo = "a".repeat(501);
    const tooLong = await client.post(`/postulacion/${c.id}/desistir`, { motivo: largo });
    expect(tooLong.status).toBe(422);
    expect(text(tooLong.html)).toContain("Escriba el motivo en 500 caracteres como máximo.");
    expect(tooLong.html).toContain('href="#campo-motivo"');
    expect(tooLong.html).toContain(`>${largo}</textarea>`);
    expect(await estado(postulacionId)).toBe("registrada");

    // Confirmed: redirect (PRG) to the page that says it is done.
    const done = await client.post(`/postulacion/${c.id}/desistir`, { motivo: "Cambié de ciudad." });
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe(`/postulacion/${c.id}/desistida`);
    expect(await estado(postulacionId)).toBe("desistida");
    const hecho = await client.get(`/postulacion/${c.id}/desistida`);
    expect(hecho.status).toBe(200);
    expect(text(hecho.html)).toContain(`Usted desistió de su postulación N° ${numero}.`);
    expect(text(hecho.html)).toContain("Cambié de ciudad.");
    expect(hecho.html).toContain(`href="/postulacion/${postulacionId}/desistimiento.pdf">Descargar constancia de desistimiento (PDF)</a>`);

    // The constancia de desistimiento, the constancia de postulación and the ficha stay readable.
    const constancia = await fetchBytes(client, `/postulacion/${postulacionId}/desistimiento.pdf`);
    expect(constancia.status).toBe(200);
    const t = await pdfText(constancia.bytes);
    expect(t).toContain("Constancia de desistimiento");
    expect(t).toContain("Cambié de ciudad.");
    expect((await fetchBytes(client, `/postulacion/${postulacionId}/constancia.pdf`)).status).toBe(200);
    const ficha = await fetchBytes(client, `/postulacion/${postulacionId}/ficha.pdf`);
    expect(ficha.status).toBe(200);
    // The ficha is the registered one, as it was: "Registrada" and its number.
    expect(await pdfText(ficha.bytes, { first: 1, last: 1 })).toMatch(new RegExp(`Registrada[^]*${numero}`));

    // The e-mail reached the applicant.
    await expect.poll(() => smtp.messages.filter((m) => JSON.stringify(m.to ?? "").includes(p.email) && /desistimiento/.test(m.subject ?? "")).length, { timeout: 10_000 }).toBe(1);

    // Back on the pages: "Desistida", no button, no way to apply or finalize again.
    const after = text((await client.get(`/postulacion/${c.id}`)).html);
    expect(after).toContain("Usted desistió de esta postulación.");
    expect(after).toContain("No es posible volver a postular a esta convocatoria.");
    expect(after).not.toContain("Desistir de la postulación");
    expect(after).not.toContain("CARGAR");
    const misAfter = text((await client.get("/mis-postulaciones")).html);
    expect(misAfter).toContain('<span class="badge">Desistida</span>');
    expect(misAfter).toMatch(/Desistida el <time/);
    expect(misAfter).not.toContain(`/postulacion/${c.id}/desistir"`);
    expect((await client.get(`/postulacion/${c.id}/desistir`)).headers.get("location")).toBe(`/postulacion/${c.id}/desistida`);
    expect((await client.get(`/postulacion/${c.id}/finalizar`)).headers.get("location")).toBe(`/postulacion/${c.id}/desistida`);
    // "Aceptar" or "Desistir" again: refused by the use case (409), and the page is the desistida's.
    for (const path of ["finalizar", "desistir"]) {
      const again = await client.post(`/postulacion/${c.id}/${path}`, { declaracion: "on", acepto: "on", motivo: "" });
      expect(again.status).toBe(302);
      expect(again.headers.get("location")).toBe(`/postulacion/${c.id}/desistida`);
    }
    expect(await estado(postulacionId)).toBe("desistida");
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, postulacionId), eq(auditLog.event, "postulacion.desistida")))).toHaveLength(1);
  });

  it("answers another applicant 404 (their own page, the constancia) and refuses after the window (409)", async () => {
    const { c, postulacionId, client } = await registrada();
    const otro = await signIn(s, app.client(), await createPostulante(s));
    await otro.get("/mis-postulaciones");
    // The other applicant has no postulación there: 404 for the page and the form.
    expect((await otro.get(`/postulacion/${c.id}/desistir`)).status).toBe(404);
    const post = await otro.post(`/postulacion/${c.id}/desistir`, { motivo: "" });
    expect(post.status).toBe(404);
    expect(await estado(postulacionId)).toBe("registrada");

    // Unknown convocatoria: 404.
    expect((await client.get(`/postulacion/00000000-0000-4000-8000-000000000000/desistir`)).status).toBe(404);

    // The window closes: no button, the page refuses with 409, nothing changes.
    await s.db.update(convocatorias).set({ postulacionFin: new Date(s.clock.now().getTime() - HOUR) }).where(eq(convocatorias.id, c.id));
    {
      expect((await client.get(`/postulacion/${c.id}`)).html).not.toContain("Desistir de la postulación");
      const closed = await client.get(`/postulacion/${c.id}/desistir`);
      expect(closed.status).toBe(200);
      expect(text(closed.html)).toMatch(/El plazo de postulación de esta convocatoria terminó/);
      expect(closed.html).not.toContain("Confirmar desistimiento");
      const late = await client.post(`/postulacion/${c.id}/desistir`, { motivo: "" });
      expect(late.status).toBe(409);
      expect(text(late.html)).toMatch(/El plazo de postulación de esta convocatoria terminó/);
      expect(await estado(postulacionId)).toBe("registrada");
    }

    // A draft cannot be withdrawn.
    const c2 = await createConvocatoriaAbierta(s);
    await client.get(`/postulacion/${c2.id}`);
    const draft = await client.post(`/postulacion/${c2.id}/desistir`, { motivo: "" });
    expect(draft.status).toBe(409);
    expect(text(draft.html)).toContain("Solo puede desistir de una postulación registrada");
    // Another applicant's constancia de desistimiento is a 404.
    const done = await registrada();
    await done.client.post(`/postulacion/${done.c.id}/desistir`, { motivo: "" });
    expect((await fetchBytes(otro, `/postulacion/${done.postulacionId}/desistimiento.pdf`)).status).toBe(404);
  });

  it("shows the HR office the desistida apart (list, expediente with its constancia, Excel) and out of the evaluation", async () => {
    const { c, client, postulacionId, numero } = await registrada();
    await client.post(`/postulacion/${c.id}/desistir`, { motivo: "Motivo para RR. HH." });
    const gestor = await createStaff(s, "gestor");
    const hr = await signedInClient(app, s, { staffId: gestor.id });

    const list = text((await hr.get(`/admin/convocatorias/${c.id}/postulaciones`)).html);
    expect(list).toContain("<li>Registradas: 0</li>");
    expect(list).toContain("<li>Desistidas: 1</li>");
    expect(list).toMatch(new RegExp(`<h2 id="desistidas-titulo">Desistidas</h2>[^]*${numero}`));

    const exp = await hr.get(`/admin/postulaciones/${postulacionId}`);
    expect(exp.status).toBe(200);
    expect(text(exp.html)).toContain("Motivo: Motivo para RR. HH.");
    expect(text(exp.html)).toContain("Desistió de la postulación (indicó un motivo)");
    const file = await fetchBytes(hr, `/admin/postulaciones/${postulacionId}/archivo/desistimiento`);
    expect(file.status).toBe(200);
    expect(await pdfText(file.bytes)).toContain("Motivo para RR. HH.");

    const xlsx = await fetchBytes(hr, `/admin/convocatorias/${c.id}/postulaciones/excel`);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.bytes) as unknown as ArrayBuffer);
    expect(wb.getWorksheet("Resumen")!.rowCount).toBe(1);
    const sheet = wb.getWorksheet("Desistidas")!;
    expect(sheet.getRow(2).getCell(1).value).toBe(numero);
    expect(sheet.getRow(2).getCell(7).value).toBe("Motivo para RR. HH.");
  });
});
