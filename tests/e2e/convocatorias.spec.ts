import { readFileSync } from "node:fs";
import type { Download, Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { expect, expectAccessible, signIn, staffSignIn, test } from "./support/fixtures";

// Issue 3, "Done when": a gestor creates a convocatoria with its bases and cronograma and publishes
// it; a visitor finds it by a word of its puesto typed without accents, opens its detail,
// downloads the bases and the Declaraciones Juradas formats; "POSTULAR" leads through login back
// to it; the demo data fills every screen.

const GESTOR = { email: "gestor@cas.demo", password: "Personal-2026!" }; // docs/demo.md
const MARIA = { tipo: "DNI", numero: "45871236", password: "Postula2026" }; // docs/demo.md

/** A small real PDF made in the test. */
async function basesPdf(titulo: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage().drawText(`Bases ${titulo}`, { x: 50, y: 750, size: 14, font });
  return Buffer.from(await doc.save());
}

/** A calendar day in Lima (UTC−5, no daylight saving), `offset` days from today. */
function limaDay(offset: number): string {
  return new Date(Date.now() - 5 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

/** The downloaded file's first bytes. */
async function head(download: Download, n = 5): Promise<string> {
  return readFileSync((await download.path())!).subarray(0, n).toString("latin1");
}

async function download(page: Page, click: () => Promise<void>): Promise<Download> {
  const [d] = await Promise.all([page.waitForEvent("download"), click()]);
  return d;
}

/** From the detail: "Ver bases" gives the PDF, "Descargar" the Declaraciones Juradas formats. */
async function downloadBasesAndFormats(page: Page, codigo: string) {
  const bases = await download(page, () => page.getByRole("main").getByRole("link", { name: `Ver bases de ${codigo} (PDF)` }).click());
  expect(bases.suggestedFilename()).toMatch(/\.pdf$/i);
  expect(await head(bases)).toBe("%PDF-");

  await page.getByRole("main").getByRole("link", { name: "Descargar", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Descargar Declaraciones Juradas" })).toBeVisible();
  await expectAccessible(page);
  const formatos = page.getByRole("main").getByRole("listitem").getByRole("link");
  const n = await formatos.count();
  expect(n).toBeGreaterThan(0);
  for (let i = 0; i < n; i++) {
    const f = await download(page, () => formatos.nth(i).click());
    expect(f.suggestedFilename()).toMatch(/\.(pdf|docx|odt)$/i);
    expect(["%PDF-", "PK\u0003\u0004"]).toContain(await head(f, f.suggestedFilename().endsWith(".pdf") ? 5 : 4));
  }
}

/** Listado de Convocatorias: search a word, then open the one with that código. */
async function findAndOpen(page: Page, palabra: string, codigo: string) {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Convocatorias" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Listado de Convocatorias" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Buscar por código, puesto o unidad orgánica").fill(palabra);
  await page.getByRole("button", { name: "Buscar" }).click();
  const card = page.getByRole("article", { name: codigo });
  await expect(card).toBeVisible();
  await expectAccessible(page);
  await card.getByRole("link", { name: `Ver detalle de ${codigo}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(codigo.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) })).toBeVisible();
  await expectAccessible(page);
}

/** Signed out, "POSTULAR" leads to login, and login back to that convocatoria's postulación. */
async function postularThroughLogin(page: Page, codigo: string) {
  await page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` }).click();
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fpostulacion%2F/);
  await expect(page.getByRole("main").getByRole("link", { name: "Crear nuevo usuario" })).toBeVisible();
  await signIn(page, MARIA.tipo, MARIA.numero, MARIA.password);
  await expect(page).toHaveURL(/\/postulacion\/[^/?]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(codigo);
  await expectAccessible(page);
  await page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" }).click();
}

test.describe("con JavaScript", () => {
  test.describe.configure({ timeout: 240_000 });

  test("a gestor creates a convocatoria with bases and cronograma and publishes it; a visitor finds it without accents, downloads bases and formats, and POSTULAR leads through login back to it", async ({ page }) => {
    const run = String(Date.now()).slice(-6);
    const codigo = `CAS N° ${run}-2026-E2E`;
    const puesto = `Especialista en Batimetría y Hidrografía ${run}`;

    await staffSignIn(page, GESTOR.email, GESTOR.password);
    await page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Convocatorias" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Convocatorias" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Nueva convocatoria" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Nueva convocatoria" })).toBeVisible();
    await expectAccessible(page);

    await page.getByLabel("Código", { exact: true }).fill(codigo);
    await page.getByLabel("Puesto", { exact: true }).fill(puesto);
    await page.getByLabel("Unidad orgánica").fill("Oficina de Tecnologías de la Información");
    await page.getByLabel("Número de vacantes").fill("2");
    await page.getByLabel("Remuneración mensual (S/)").fill("5200.00");
    await page.getByLabel("Tipo de contrato").selectOption({ label: "Necesidad transitoria" });
    await page.getByLabel("Lugar de prestación: sede").fill("Sede central – Av. España 734, Breña");
    await page.getByLabel("Lugar de prestación: ubigeo del distrito").fill("150105");
    await page.getByRole("textbox", { name: /^Formación académica/ }).fill("Bachiller en Ingeniería Geográfica");
    await page.getByRole("textbox", { name: /^Experiencia general/ }).fill("Tres años en el sector público o privado");
    await page.getByRole("textbox", { name: /^Conocimientos/ }).fill("Sistemas de información geográfica");
    await page.getByLabel(/Bases de la convocatoria/).setInputFiles({ name: "bases-e2e.pdf", mimeType: "application/pdf", buffer: await basesPdf(codigo) });

    // Publicación yesterday; Postulación from yesterday for ten days (open now); the rest after it.
    const etapas: [string, number, string, number, string][] = [
      ["Publicación", -2, "08:00", -1, "08:00"],
      ["Postulación", -1, "08:00", 10, "17:00"],
      ["Evaluación curricular", 11, "08:00", 12, "17:00"],
      ["Resultados de la evaluación curricular", 13, "08:00", 13, "17:00"],
      ["Entrevista personal", 14, "08:00", 15, "17:00"],
      ["Resultado final", 16, "08:00", 16, "17:00"],
      ["Suscripción del contrato", 17, "08:00", 18, "17:00"],
    ];
    for (const [nombre, d1, h1, d2, h2] of etapas) {
      await page.getByLabel(`${nombre}: fecha de inicio`, { exact: true }).fill(limaDay(d1));
      await page.getByLabel(`${nombre}: hora de inicio`, { exact: true }).fill(h1);
      await page.getByLabel(`${nombre}: fecha de fin`, { exact: true }).fill(limaDay(d2));
      await page.getByLabel(`${nombre}: hora de fin`, { exact: true }).fill(h2);
    }
    await page.getByRole("button", { name: "Guardar borrador" }).click();
    await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("Convocatoria guardada como borrador.");
    await expectAccessible(page);

    await page.getByRole("button", { name: "Publicar" }).click();
    // The preview: what becomes public and whom it e-mails; nothing is published before the confirmation.
    await expect(page.getByRole("heading", { level: 1, name: "Vista previa de la publicación" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText("Publicar una convocatoria no envía correos a nadie.");
    await expect(page.getByRole("heading", { level: 2, name: codigo })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Confirmar publicación" }).click();
    await expect(page.getByRole("main")).toContainText("Convocatoria publicada");
    await expectAccessible(page);
    await page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" }).click();

    // A visitor: the word "batimetria" without its accent.
    await findAndOpen(page, "batimetria", codigo);
    await expect(page.getByRole("main")).toContainText("Bachiller en Ingeniería Geográfica");
    await expect(page.getByRole("region", { name: "Cronograma" })).toContainText("Entrevista personal");
    await downloadBasesAndFormats(page, codigo);
    await page.goBack();
    await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
    await postularThroughLogin(page, codigo);
  });
});

/** A convocatoria of the demo data whose window is open: its código and a word of its puesto. */
async function demoAbierta(page: Page): Promise<{ codigo: string; palabra: string }> {
  await page.goto("/convocatorias?estado=en_postulacion");
  const card = page.getByRole("article").first();
  const codigo = (await card.getByRole("heading").innerText()).trim();
  const puesto = (await card.locator(".convocatoria-puesto").innerText()).trim();
  // The longest word of the puesto, its accents removed (as a visitor types it).
  const palabra = puesto.split(/\s+/).sort((a, b) => b.length - a.length)[0]!.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  return { codigo, palabra };
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 180_000 });

    test("a visitor finds an open demo convocatoria by a word without accents, downloads its bases and the formats, and POSTULAR leads through login back to it", async ({ page }) => {
      const { codigo, palabra } = await demoAbierta(page);
      await findAndOpen(page, palabra, codigo);
      await downloadBasesAndFormats(page, codigo);
      await page.goBack();
      await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
      await postularThroughLogin(page, codigo);
    });

    test("the demo data fills every screen: at least 30 published convocatorias over pages, and each filter narrows the list", async ({ page }) => {
      await page.goto("/convocatorias");
      const status = page.getByRole("main").getByRole("status");
      const total = Number((await status.innerText()).match(/(\d+) convocatorias/)?.[1]);
      expect(total).toBeGreaterThanOrEqual(30);
      await expect(page.getByRole("article")).toHaveCount(20);
      const paginas = page.getByRole("navigation", { name: "Páginas del listado" });
      await paginas.getByRole("link", { name: "Siguiente" }).click();
      await expect(status).toContainText("página 2 de");
      await expect(page.getByRole("article").first()).toBeVisible();
      await expectAccessible(page);

      // Estado: each filter gives only convocatorias in that phase.
      // "Concluidas" are the closed ones: concluded, cancelled or declared desierta.
      for (const [label, badge] of [["En postulación", /En postulación/], ["En evaluación", /En evaluación/], ["Concluidas", /Concluida|Cancelada|Desierta/]] as const) {
        await page.goto("/convocatorias");
        await page.getByLabel("Estado").selectOption({ label });
        await page.getByRole("button", { name: "Buscar" }).click();
        await expect(page).toHaveURL(/estado=/);
        const n = Number((await status.innerText()).match(/(\d+) convocatoria/)?.[1] ?? 0);
        expect(n, `demo convocatorias ${label}`).toBeGreaterThan(0);
        expect(n).toBeLessThan(total);
        for (const card of await page.getByRole("article").all()) await expect(card).toContainText(badge);
        await expectAccessible(page);
      }

      // Unidad orgánica, tipo de contrato and departamento each narrow the list, and say so.
      for (const filtro of ["Unidad orgánica", "Tipo de contrato", "Departamento"]) {
        await page.goto("/convocatorias");
        const select = page.getByLabel(filtro, { exact: true });
        const option = (await select.locator("option").nth(1).innerText()).trim();
        await select.selectOption({ label: option });
        await page.getByRole("button", { name: "Buscar" }).click();
        await expect(page.getByRole("link", { name: "Quitar filtros" })).toBeVisible();
        const n = Number((await status.innerText()).match(/(\d+) convocatoria/)?.[1] ?? 0);
        expect(n, `demo convocatorias with ${filtro} ${option}`).toBeGreaterThan(0);
        expect(n).toBeLessThanOrEqual(total);
        if (filtro === "Unidad orgánica") for (const card of await page.getByRole("article").all()) await expect(card).toContainText(option);
      }

      // A concluded convocatoria's detail, and the formats page, have content.
      await page.goto("/convocatorias?estado=concluidas");
      await page.getByRole("article").first().getByRole("heading").getByRole("link").click();
      await expect(page.getByRole("region", { name: "Cronograma" })).toBeVisible();
      await expect(page.getByRole("region", { name: "Perfil del puesto" })).toBeVisible();
      await expectAccessible(page);
      await page.goto("/declaraciones-juradas");
      await expect(page.getByRole("main").getByRole("listitem").first()).toBeVisible();
      await expectAccessible(page);
    });
  });
}

test("the HR office's screens are filled by the demo data", async ({ page }) => {
  await staffSignIn(page, GESTOR.email, GESTOR.password);
  await page.goto("/admin/convocatorias");
  await expect(page.getByRole("heading", { level: 1, name: "Convocatorias" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("row")).not.toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel("Estado").selectOption({ label: "Borrador" });
  await page.getByRole("button", { name: "Buscar" }).click();
  await expect(page).toHaveURL(/estado=borrador/);
  await expectAccessible(page);
  await page.goto("/admin/convocatorias");
  await page.getByRole("main").getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("region", { name: "Historial" })).toBeVisible();
  await expectAccessible(page);
});
