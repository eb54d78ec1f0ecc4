import type { Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { pdfText } from "../support/pdf-text";
import {
  expect, test,
  expectAccessible, press, registerApplicant, uniqueDni, uniqueEmail, waitForMail, type Applicant,
} from "./support/fixtures";

// Issue 17, "Desistimiento", tried as a new applicant would, with JavaScript on and off (and, in
// the phone projects of playwright.config.ts, at 360 and 390 px): register and finalize a
// postulación on an open demo convocatoria, then "Desistir de la postulación" from Mis
// postulaciones — the confirmation page, the optional reason, the page that says it is done,
// the constancia de desistimiento (PDF and e-mail), and the pages that show it "Desistida"
// with no way to apply again. axe on every page.

const MOTIVO = "Acepté una oferta en otra entidad pública.";

function applicant(): Applicant {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres: "Julio César",
    apellidoPaterno: "Huamán",
    apellidoMaterno: "Ccori",
    fechaNacimiento: "1991-03-14",
    sexo: "Masculino",
    email: uniqueEmail("julio"),
    celular: "987654321",
    direccion: "Jr. Junín 455",
    ubigeo: { departamento: "LIMA", provincia: "LIMA", distrito: "MIRAFLORES" },
    password: "Cusco-Inti-1991",
  };
}

async function pdf(titulo: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 595]).drawText(titulo, { x: 30, y: 530, size: 12, font });
  return Buffer.from(await doc.save());
}

/** POSTULAR on the first open convocatoria, every required type uploaded and confirmed, "Aceptar": its código. */
async function registrarPostulacion(page: Page, js: boolean): Promise<string> {
  await page.goto("/convocatorias?estado=en_postulacion");
  const card = page.getByRole("article").first();
  const codigo = (await card.getByRole("heading").innerText()).trim();
  await press(card.getByRole("link", { name: `POSTULAR a ${codigo}` }));
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
  const select = page.getByLabel("Tipo de documento");
  const requeridos = (await select.locator("option").allInnerTexts()).filter((o) => o.includes("(obligatorio)"));
  for (const option of requeridos) {
    const label = option.slice(0, option.indexOf(" (obligatorio)")).trim();
    await select.selectOption({ label: option });
    await page.getByLabel("Archivo (PDF)").setInputFiles({ name: "documento.pdf", mimeType: "application/pdf", buffer: await pdf(label) });
    await press(page.getByRole("button", { name: "CARGAR" }));
    if (js) await expect(page.locator(".upload-status")).toHaveText(`${label}: documento cargado.`);
    else await expect(page.getByRole("status").filter({ hasText: "Documento cargado." })).toBeVisible();
    const box = page.getByRole("checkbox", { name: `Confirmar ${label}` });
    await box.check();
    if (js) await expect(page.getByRole("status").filter({ hasText: "Confirmación guardada." })).toBeVisible();
    else {
      await press(page.getByRole("button", { name: "Guardar confirmaciones" }));
      await expect(page.getByRole("status").filter({ hasText: "Confirmaciones guardadas." })).toBeVisible();
    }
  }
  // The confirmation message as a page (it works with and without JavaScript).
  await page.goto(`${new URL(page.url()).pathname}/finalizar`);
  await page.getByRole("checkbox", { name: "He leído el mensaje y estoy conforme con finalizar mi postulación." }).check();
  await press(page.getByRole("button", { name: "Aceptar" }));
  await expect(page.getByRole("heading", { level: 1, name: "Postulación Confirmada" })).toBeVisible();
  return codigo;
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 300_000 });

    test("a registered applicant withdraws from Mis postulaciones, with a reason, and keeps the constancia de desistimiento", async ({ page }) => {
      const a = applicant();
      await registerApplicant(page, a, js);
      const codigo = await registrarPostulacion(page, js);

      // Mis postulaciones: the button, to the confirmation page.
      await page.goto("/mis-postulaciones");
      await expectAccessible(page);
      await press(page.getByRole("link", { name: `Desistir de la postulación a ${codigo}` }));
      await expect(page.getByRole("heading", { level: 1, name: "Desistir de la postulación" })).toBeVisible();
      await expect(page.getByRole("main")).toContainText("No podrá volver a postular a esta convocatoria");
      await expect(page.getByRole("main")).toContainText("dejará de participar en la evaluación");
      await expectAccessible(page);

      // "Cancelar" changes nothing: back to the Postulación page, which offers it again.
      await press(page.getByRole("link", { name: "Cancelar" }));
      await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: "Ya postuló a esta convocatoria." })).toBeVisible();
      await expectAccessible(page);
      await press(page.getByRole("link", { name: "Desistir de la postulación" }));

      // The reason (optional, with its visible label), then confirm.
      await page.getByLabel("Motivo (opcional)").fill(MOTIVO);
      await press(page.getByRole("button", { name: "Confirmar desistimiento" }));
      await expect(page.getByRole("heading", { level: 1, name: "Desistimiento registrado" })).toBeVisible();
      const main = page.getByRole("main");
      await expect(main).toContainText(MOTIVO);
      await expect(main).toContainText("se conservan como registro");
      await expectAccessible(page);

      // The constancia de desistimiento: what happened, word for word.
      const link = page.getByRole("link", { name: "Descargar constancia de desistimiento (PDF)" });
      const res = await page.request.get((await link.getAttribute("href"))!);
      expect(res.status()).toBe(200);
      expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
      const text = await pdfText(await res.body());
      expect(text).toContain("Constancia de desistimiento");
      expect(text).toContain(codigo);
      expect(text).toContain(`${a.nombres} ${a.apellidoPaterno} ${a.apellidoMaterno}`);
      expect(text).toContain(MOTIVO);
      expect(text).toContain("Fecha y hora de desistimiento");

      // The e-mail, with the constancia attached.
      const mail = await waitForMail(a.email, /Constancia de desistimiento/);
      expect(mail.text).toContain(MOTIVO);
      expect(mail.attachments.map((x) => x.filename)).toEqual([expect.stringMatching(/^constancia-desistimiento-\d{4}-\d{6}\.pdf$/)]);

      // Mis postulaciones and the Postulación page say "Desistida"; no way to withdraw or apply again.
      await page.goto("/mis-postulaciones");
      await expect(page.getByRole("cell", { name: /Desistida/ }).first()).toBeVisible();
      await expect(page.getByRole("link", { name: `Desistir de la postulación a ${codigo}` })).toHaveCount(0);
      await expect(page.getByRole("link", { name: `Constancia de desistimiento ${codigo} (PDF)` })).toBeVisible();
      await expectAccessible(page);
      await press(page.getByRole("link", { name: codigo, exact: true }));
      await expect(page.getByRole("status").filter({ hasText: "Usted desistió de esta postulación." })).toContainText(
        "No es posible volver a postular a esta convocatoria.",
      );
      await expect(page.getByRole("button", { name: "CARGAR" })).toHaveCount(0);
      await expect(page.getByRole("link", { name: "Desistir de la postulación" })).toHaveCount(0);
      await expectAccessible(page);
      await page.goto("/convocatorias?estado=en_postulacion");
      const card = page.getByRole("article", { name: codigo });
      await expect(card).toContainText("Su postulación: Desistida");
      await expect(card.getByRole("link", { name: `POSTULAR a ${codigo}` })).toHaveCount(0);
    });
  });
}
