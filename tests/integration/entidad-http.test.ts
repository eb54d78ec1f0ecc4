import { randomUUID } from "node:crypto";
import { desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, outbox } from "~/db/schema";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { createPostulante, createStaff, type TestStaff } from "../support/accounts";
import { multipart, signIn as signInStaff } from "../support/convocatorias";
import { startTestApp, type TestClient } from "../support/http";
import { JPEG_1x1, pngBytes } from "../support/images";
import { pdfText } from "../support/pdf-text";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, fetchBytes, readyToFinalize, signIn as signInPostulante } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * "Datos de la entidad" over HTTP (issue 14; docs/administracion.md): only the administrador
 * saves them; the public pages' header and footer, the error pages, the e-mails, the ficha
 * and the constancia show what was saved.
 */
describe("Datos de la entidad", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: TestStaff;
  let adminClient: TestClient;
  let gestorClient: TestClient;
  const INICIAL = "Entidad Inicial de Prueba";
  const NUEVO = "Gobierno Regional de Piura";
  const LOGO = pngBytes(60, 30);
  const FORM = {
    nombre: NUEVO,
    siglas: "GORE Piura",
    ruc: "20484004421",
    mesaAyudaEmail: "mesadeayuda@regionpiura.gob.pe",
    mesaAyudaTelefono: "(073) 28-4600 anexo 1234",
    mesaAyudaHorario: "lunes a viernes de 8:00 a 16:30",
  };

  beforeAll(async () => {
    s = await createTestServices({ env: { ENTITY_NAME: INICIAL } });
    app = await startTestApp(s);
    admin = await createStaff(s, "administrador");
    const gestor = await createStaff(s, "gestor");
    adminClient = app.client();
    await signInStaff(s, adminClient, { staffId: admin.id });
    gestorClient = app.client();
    await signInStaff(s, gestorClient, { staffId: gestor.id });
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  /** The markup as read: React's separators between adjacent text nodes removed. */
  const visible = (html: string) => html.replaceAll("<!-- -->", "");
  const save = async (client: TestClient, fields: Record<string, string>, logo?: { bytes: Uint8Array; filename: string }) => {
    await client.get("/admin/entidad");
    return client.send("/admin/entidad", multipart(client.csrf, fields, logo ? { field: "logo", ...logo, type: "image/png" } : undefined));
  };

  it("is the administrador's only: a gestor gets 403 for the page and the post, and no link to it", async () => {
    expect((await gestorClient.get("/admin/entidad")).status).toBe(403);
    await gestorClient.get("/admin");
    const posted = await gestorClient.send("/admin/entidad", multipart(gestorClient.csrf, FORM));
    expect(posted.status).toBe(403);
    expect((await gestorClient.get("/admin")).html).not.toContain('href="/admin/entidad"');
    expect((await adminClient.get("/admin")).html).toContain('href="/admin/entidad"');
    // Nothing was stored: the header still says ENTITY_NAME.
    expect((await app.client().get("/convocatorias")).html).toContain(INICIAL);
  });

  it("refuses a post without its CSRF token (403)", async () => {
    const res = await adminClient.send("/admin/entidad", multipart("forged", FORM));
    expect(res.status).toBe(403);
  });

  it("answers bad values with 422, each message at its field and in the summary, what was typed kept", async () => {
    const res = await save(adminClient, { ...FORM, ruc: "20484004422", mesaAyudaEmail: "mesa@" });
    expect(res.status).toBe(422);
    expect(res.html).toContain("Revise los datos ingresados");
    expect(res.html).toContain('href="#campo-ruc"');
    expect(res.html).toMatch(/id="campo-ruc-error"[^>]*>.*El RUC no es válido: revise los dígitos \(el último es de verificación\)\./s);
    expect(res.html).toMatch(/id="campo-mesaAyudaEmail-error"[^>]*>.*Ingrese un correo electrónico válido/s);
    expect(res.html).toContain('value="20484004422"');

    const gif = await save(adminClient, FORM, { bytes: Buffer.from("GIF89a\x01\x00\x01\x00"), filename: "logo.png" });
    expect(gif.status).toBe(422);
    expect(gif.html).toMatch(/id="campo-logo-error"[^>]*>.*El logo debe ser una imagen PNG o JPEG\./s);
    expect(gif.html).toContain('href="#campo-logo"');

    const big = await save(adminClient, FORM, { bytes: Buffer.concat([LOGO, Buffer.alloc(301 * 1024)]), filename: "logo.png" });
    expect(big.status).toBe(413);
    expect(big.html).toContain("El logo no debe superar los 300 KB.");
    expect((await s.entidad.current()).nombre).toBe(INICIAL);
  });

  it("saves (audited); the public page's header and footer show the new name, the logo and the help desk", async () => {
    const res = await save(adminClient, FORM, { bytes: LOGO, filename: "escudo.png" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/admin/entidad?guardado=1");
    expect((await adminClient.get("/admin/entidad?guardado=1")).html).toContain("Los datos de la entidad fueron guardados.");
    const [row] = await s.db.select().from(auditLog).where(eq(auditLog.event, "entidad.actualizada")).orderBy(desc(auditLog.id)).limit(1);
    expect(row).toMatchObject({ actorId: admin.id, details: { fields: ["nombre", "siglas", "ruc", "mesaAyudaEmail", "mesaAyudaTelefono", "mesaAyudaHorario", "logo"] } });

    const res2 = await app.client().get("/convocatorias");
    expect(res2.status).toBe(200);
    const page = { html: visible(res2.html) };
    expect(page.html).toMatch(new RegExp(`<span class="brand-entity">${NUEVO}</span>`));
    expect(page.html).not.toContain(INICIAL);
    expect(page.html).toContain(`<a href="mailto:${FORM.mesaAyudaEmail}">${FORM.mesaAyudaEmail}</a>`);
    expect(page.html).toContain(`${NUEVO} (GORE Piura) · RUC 20484004421 · Oficina de Recursos Humanos`);
    expect(page.html).toContain("Teléfono: (073) 28-4600 anexo 1234");
    expect(page.html).toContain("Horario de atención: lunes a viernes de 8:00 a 16:30");
    const src = page.html.match(/<img src="(\/entidad\/logo\?v=[0-9a-f]{16})" alt="" class="brand-logo"/)?.[1];
    expect(src).toBeDefined();

    const logo = await fetch(app.baseUrl + src!);
    expect(logo.status).toBe(200);
    expect(logo.headers.get("content-type")).toBe("image/png");
    expect(logo.headers.get("x-content-type-options")).toBe("nosniff");
    expect(logo.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(Buffer.compare(Buffer.from(await logo.arrayBuffer()), LOGO)).toBe(0);
    // Another address (an old version) is kept only minutes; the ETag answers 304.
    const old = await fetch(`${app.baseUrl}/entidad/logo?v=0000000000000000`);
    expect(old.headers.get("cache-control")).toBe("public, max-age=300");
    const again = await fetch(app.baseUrl + src!, { headers: { "if-none-match": logo.headers.get("etag")! } });
    expect(again.status).toBe(304);
  });

  it("the error pages show the help desk too (a page's 404, a 403)", async () => {
    const missing = await app.client().get(`/convocatorias/${randomUUID()}`);
    expect(missing.status).toBe(404);
    expect(missing.html).toContain("Página no encontrada");
    expect(visible(missing.html)).toContain(`Si necesita ayuda, comuníquese con la mesa de ayuda. Correo: <a href="mailto:${FORM.mesaAyudaEmail}">`);
    const forbidden = await gestorClient.get("/admin/entidad");
    expect(forbidden.status).toBe(403);
    expect(visible(forbidden.html)).toContain("Si necesita ayuda, comuníquese con la mesa de ayuda.");
  });

  it("an e-mail composed after the change carries the new name and the help desk", async () => {
    const p = await createPostulante(s);
    const client = app.client();
    await client.get("/recuperar-contrasena");
    const res = await client.post("/recuperar-contrasena", { tipoDocumento: p.tipoDocumento, numeroDocumento: p.numeroDocumento });
    expect(res.status).toBe(302);
    const [mail] = await s.db.select().from(outbox).where(eq(outbox.to, p.email)).orderBy(desc(outbox.id)).limit(1);
    expect(mail!.text).toContain(`--\n${NUEVO}\nCAS Online\nMesa de ayuda:\nCorreo: ${FORM.mesaAyudaEmail}\nTeléfono: ${FORM.mesaAyudaTelefono}\nHorario: ${FORM.mesaAyudaHorario}`);
    expect(mail!.html).toContain(NUEVO);
    expect(mail!.html).toContain(`Correo: ${FORM.mesaAyudaEmail}`);
    expect(mail!.text + mail!.html).not.toContain(INICIAL);
  });

  it("the ficha and the constancia (PDF text, pdftotext) carry the new name, with the logo drawn above it", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const id = await readyToFinalize(s, p.id, c.id, await normalPdf(1, "documento"));
    await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    const client = await signInPostulante(s, app.client(), p);
    for (const url of [`/postulacion/${id}/constancia.pdf`, `/postulacion/${id}/ficha.pdf`]) {
      const pdf = await fetchBytes(client, url);
      expect(pdf.status, url).toBe(200);
      const text = await pdfText(pdf.bytes, { first: 1, last: 1 });
      expect(text, url).toContain(NUEVO);
      expect(text, url).not.toContain(INICIAL);
      // An image XObject (the logo) on the first page; the documents are text-only PDFs.
      expect(pdf.bytes.toString("latin1"), url).toMatch(/\/Subtype\s*\/Image/);
    }
  });

  it("a JPEG logo is served as image/jpeg; 'Quitar el logo' takes it off the header (the logo address answers 404)", async () => {
    const jpeg = await save(adminClient, FORM, { bytes: JPEG_1x1, filename: "logo.jpg" });
    expect(jpeg.status).toBe(302);
    const logo = await fetch(`${app.baseUrl}/entidad/logo`);
    expect(logo.headers.get("content-type")).toBe("image/jpeg");
    await logo.arrayBuffer();
    expect((await save(adminClient, { ...FORM, quitarLogo: "on" })).status).toBe(302);
    expect((await app.client().get("/convocatorias")).html).not.toContain('class="brand-logo"');
    expect((await fetch(`${app.baseUrl}/entidad/logo`)).status).toBe(404);
  });
});
