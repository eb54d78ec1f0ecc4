import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Locator, Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import {
  expect, test,
  expectAccessible, press, registerApplicant, signIn, signOut, uniqueCarnet, uniqueDni, uniqueEmail, waitForMail, type Applicant,
} from "./support/fixtures";
import { pdfText } from "../support/pdf-text";
import { E2E } from "./support/env";

// Issue 4, "Done when": tried as a new user would, in Chromium and again with JavaScript off —
// the whole seed flow (2.1.4 – 2.1.6) from "POSTULAR" to the success message and the e-mail;
// the ficha opened and its pages counted; a wrong file refused with its message; a second
// "POSTULAR" leading back to the first postulación. Each journey is a new applicant on a
// different open convocatoria of the demo data.

const DECLARACION = /^Declaro haber leído con detenimiento las bases de la presente convocatoria/;
const ACEPTO = "He leído el mensaje y estoy conforme con finalizar mi postulación.";

/** The cover's page size (A4, app/platform/pdf/text-pdf.server.ts); uploads use other sizes. */
const A4 = [595, 842];

function peruana(): Applicant {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres: "Lucía Fernanda",
    apellidoPaterno: "Mamani",
    apellidoMaterno: "Condori",
    fechaNacimiento: "1993-07-21",
    sexo: "Femenino",
    email: uniqueEmail("lucia"),
    celular: "956123478",
    direccion: "Calle Las Begonias 118",
    ubigeo: { departamento: "LIMA", provincia: "LIMA", distrito: "MIRAFLORES" },
    password: "Huancayo-Sol-2026",
  };
}

function extranjero(): Applicant {
  return {
    nacionalidad: "Venezuela",
    tipoDocumento: "Carnet de extranjería",
    numeroDocumento: uniqueCarnet(),
    nombres: "Andrés Eloy",
    apellidoPaterno: "Blanco",
    apellidoMaterno: "Meaño",
    fechaNacimiento: "1986-05-09",
    sexo: "Masculino",
    email: uniqueEmail("andres"),
    celular: "+58 4141234567",
    direccion: "Av. Arequipa 2450",
    ubigeo: { departamento: "AREQUIPA", provincia: "AREQUIPA", distrito: "CAYMA" },
    password: "Maracay-Misti-86",
  };
}

type Upload = { label: string; name: string; bytes: Buffer; pages: number; size: [number, number] };

/** A small real PDF of `pages` pages of one size (not A4, so its pages are found again in the ficha). */
async function documentoPdf(titulo: string, pages: number, size: [number, number]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage(size).drawText(`${titulo}, página ${i} de ${pages}`, { x: 30, y: size[1] - 60, size: 12, font });
  return Buffer.from(await doc.save());
}

/** A password-protected PDF (qpdf, a system package of the project: scripts/ensure-system-packages.sh). */
async function protegidoPdf(): Promise<Buffer> {
  const dir = mkdtempSync(path.join(tmpdir(), "cas-e2e-pdf-"));
  try {
    writeFileSync(path.join(dir, "in.pdf"), await documentoPdf("Documento protegido", 1, [420, 595]));
    execFileSync("qpdf", ["--encrypt", "clave-usuario", "clave-propietario", "256", "--", path.join(dir, "in.pdf"), path.join(dir, "out.pdf")]);
    return readFileSync(path.join(dir, "out.pdf"));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Clicks a link that opens a PDF in a new tab (target="_blank"): Chromium shows it in its PDF
 * viewer at the link's address. The PDF's bytes are then read at that address with the
 * page's cookies (the ficha is built once per change and served from storage: the same file).
 */
async function openPdf(page: Page, link: Locator): Promise<Buffer> {
  const href = await link.getAttribute("href");
  const [tab] = await Promise.all([page.waitForEvent("popup"), press(link)]);
  await tab.waitForLoadState();
  expect(new URL(tab.url()).pathname).toBe(href);
  await tab.close();
  const res = await page.request.get(href!);
  expect(res.status(), href!).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
  expect(res.headers()["content-disposition"]).toMatch(/^inline/);
  const bytes = await res.body();
  expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  return bytes;
}

/** A same-window link to a PDF: fetched with the page's cookies, as the browser would. */
async function fetchPdf(page: Page, link: Locator): Promise<PDFDocument> {
  const href = await link.getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status(), href!).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
  return PDFDocument.load(await res.body());
}

/** The n-th open convocatoria of the demo data (estado "En postulación"): its código. */
async function convocatoriaAbierta(page: Page, n: number): Promise<string> {
  await page.goto("/convocatorias?estado=en_postulacion");
  await expect(page.getByRole("heading", { level: 1, name: "Listado de Convocatorias" })).toBeVisible();
  const cards = page.getByRole("article");
  expect(await cards.count()).toBeGreaterThan(n);
  return (await cards.nth(n).getByRole("heading").innerText()).trim();
}

/** From the listing, the convocatoria's detail, then "POSTULAR". */
async function postular(page: Page, codigo: string) {
  await page.goto("/convocatorias?estado=en_postulacion");
  await press(page.getByRole("article", { name: codigo }).getByRole("link", { name: `Ver detalle de ${codigo}` }));
  await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
  await expectAccessible(page);
  await press(page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` }));
}

/**
 * From the listing, whose card is marked with the applicant's postulación, to the detail,
 * where `accion` ("Continuar postulación", "Ver mi postulación") replaces POSTULAR.
 */
async function miPostulacion(page: Page, codigo: string, estado: "En registro" | "Registrada", accion: string) {
  await page.goto("/convocatorias?estado=en_postulacion");
  const card = page.getByRole("article", { name: codigo });
  await expect(card).toContainText(`Su postulación: ${estado}`);
  await expect(card.getByRole("link", { name: `POSTULAR a ${codigo}` })).toHaveCount(0);
  await expectAccessible(page);
  await press(card.getByRole("link", { name: `Ver detalle de ${codigo}` }));
  await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` })).toHaveCount(0);
  await expectAccessible(page);
  await press(page.getByRole("main").getByRole("link", { name: `${accion} a ${codigo}` }));
}

/** The required types of the drop-down, in its order: their labels as the table shows them. */
async function requiredTypes(page: Page): Promise<string[]> {
  const options = await page.getByLabel("Tipo de documento").locator("option").allInnerTexts();
  const labels = options.filter((o) => o.includes("(obligatorio)")).map((o) => o.slice(0, o.indexOf(" (obligatorio)")).trim());
  expect(labels.length).toBeGreaterThan(0);
  return labels;
}

function optionFor(label: string): RegExp {
  return new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\((obligatorio|opcional)\\)`);
}

async function chooseType(page: Page, label: string) {
  const select = page.getByLabel("Tipo de documento");
  const value = await select.locator("option").filter({ hasText: optionFor(label) }).getAttribute("value");
  await select.selectOption(value!);
}

/** The documents table's row for a type. */
function row(page: Page, label: string): Locator {
  return page.getByRole("table").getByRole("row").filter({ has: page.getByRole("cell", { name: label, exact: true }) });
}

/** "CARGAR" one document and wait for its row in the table. */
async function cargar(page: Page, js: boolean, u: Upload) {
  await chooseType(page, u.label);
  await page.getByLabel("Archivo (PDF)").setInputFiles({ name: u.name, mimeType: "application/pdf", buffer: u.bytes });
  await press(page.getByRole("button", { name: "CARGAR" }));
  if (js) await expect(page.locator(".upload-status")).toHaveText(`${u.label}: documento cargado.`);
  else await expect(page.getByRole("status").filter({ hasText: "Documento cargado." })).toBeVisible();
  const r = row(page, u.label);
  await expect(r).toContainText(u.name);
  await expect(r.getByRole("cell").nth(3)).toHaveText(String(u.pages));
  await expect(r.getByRole("link", { name: `Ver ${u.label}` })).toHaveAttribute("href", /^\/postulacion\/documentos\//);
}

/** "Verificar Ficha Postulante": the cover (A4 pages first), then every upload's pages in the table's order. */
async function checkFicha(page: Page, uploads: Upload[]) {
  const bytes = await openPdf(page, page.getByRole("link", { name: "Verificar Ficha Postulante" }));
  const ficha = await PDFDocument.load(bytes);
  const sizes = ficha.getPages().map((p) => p.getSize()).map(({ width, height }) => [Math.round(width), Math.round(height)]);
  const cover = sizes.findIndex(([w, h]) => w !== A4[0] || h !== A4[1]);
  expect(cover, "cover pages before the documents").toBeGreaterThanOrEqual(1);
  for (const s of sizes.slice(0, cover)) expect(s).toEqual(A4);
  const total = uploads.reduce((n, u) => n + u.pages, 0);
  expect(ficha.getPageCount(), "ficha pages = cover pages + the uploads' pages").toBe(cover + total);
  expect(sizes.slice(cover)).toEqual(uploads.flatMap((u) => Array.from({ length: u.pages }, () => u.size)));
  // Before "Aceptar" its cover says it is not registered yet, and numbers the whole ficha.
  const text = await pdfText(bytes, { first: 1, last: cover });
  expect(text).toContain("En registro (no finalizada)");
  expect(text).toContain(`Página 1 de ${cover + total}`);
}

/** After "Aceptar": the ficha read as text is the registered one (issue 12), never the draft. */
async function checkFichaRegistrada(page: Page, link: Locator, numero: string, cuando: string, uploads: Upload[]) {
  const href = await link.getAttribute("href");
  const res = await page.request.get(href!);
  expect(res.status(), href!).toBe(200);
  expect(res.headers()["content-type"]).toMatch(/^application\/pdf/);
  const bytes = await res.body();
  const ficha = await PDFDocument.load(bytes);
  expect(ficha.getPageCount()).toBeGreaterThan(uploads.reduce((s, u) => s + u.pages, 0));
  const text = await pdfText(bytes, { first: 1, last: 1 });
  expect(text).not.toContain("En registro");
  expect(text).toContain("Registrada");
  expect(text).toContain(numero);
  expect(text).toContain(cuando);
  expect(text).toContain(`Página 1 de ${ficha.getPageCount()}`);
  expect(ficha.getTitle()).toBe(`Ficha de Postulación N° ${numero}`);
}

/** The whole journey of one new applicant. */
async function journey(page: Page, a: Applicant, js: boolean, n: number) {
  // A new user creates an account, and signs out (POSTULAR will ask to sign in).
  await registerApplicant(page, a, js);
  await signOut(page);

  // POSTULAR on an open convocatoria → login → the Postulación page of that convocatoria.
  const codigo = await convocatoriaAbierta(page, n);
  await postular(page, codigo);
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fpostulacion%2F/);
  await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
  await expect(page).toHaveURL(/\/postulacion\/[^/?]+$/);
  const postulacionUrl = page.url();
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Proceso CAS" })).toContainText(codigo);
  const datos = page.getByRole("region", { name: "Datos del postulante" });
  await expect(datos).toContainText(a.nombres);
  await expect(datos).toContainText(`${a.apellidoPaterno} ${a.apellidoMaterno}`);
  await expect(datos).toContainText(a.numeroDocumento);
  await expect(datos.getByRole("link", { name: "Mi Perfil" })).toBeVisible();
  await expect(datos.getByRole("textbox")).toHaveCount(0);
  await expect(page.getByRole("heading", { level: 2, name: "CARGA DE DOCUMENTOS SUSTENTATORIOS" })).toBeVisible();
  await expect(page.getByText("Aún no ha cargado documentos.")).toBeVisible();
  await expectAccessible(page);

  // Every required type of the drop-down, each with a real PDF of its own page count and size.
  const labels = await requiredTypes(page);
  const uploads: Upload[] = [];
  for (const [i, label] of labels.entries()) {
    const pages = (i % 3) + 1;
    const size: [number, number] = [400 + 10 * i, 600];
    uploads.push({ label, name: `${label.toLowerCase().replace(/[^a-z]+/g, "-")}-${i + 1}.pdf`, pages, size, bytes: await documentoPdf(label, pages, size) });
  }

  const archivo = page.getByLabel("Archivo (PDF)");
  if (js) {
    // "Liberar" drops the chosen file before it is sent.
    await chooseType(page, uploads[0]!.label);
    await archivo.setInputFiles({ name: "equivocado.pdf", mimeType: "application/pdf", buffer: uploads[0]!.bytes });
    await expect(page.getByText("Elegido: equivocado.pdf")).toBeVisible();
    await press(page.getByRole("button", { name: "Liberar" }));
    await expect(archivo).toHaveValue("");
    await expect(page.getByText("O arrastre aquí su archivo PDF")).toBeVisible();

    // The progress bar with percent and "Cancelar carga": the upload held back a moment, then cancelled.
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/cargar", async (route) => {
      await held;
      await route.continue().catch(() => {});
    });
    await chooseType(page, uploads[0]!.label);
    await archivo.setInputFiles({ name: "cancelado.pdf", mimeType: "application/pdf", buffer: uploads[0]!.bytes });
    await press(page.getByRole("button", { name: "CARGAR" }));
    await expect(page.getByRole("progressbar")).toBeVisible();
    await expect(page.getByText(/^Cargando: \d+ %$/)).toBeVisible();
    await expectAccessible(page);
    await press(page.getByRole("button", { name: "Cancelar carga" }));
    await expect(page.locator(".upload-status")).toHaveText("Carga cancelada. El archivo no se guardó.");
    await expect(page.getByRole("progressbar")).toHaveCount(0);
    release();
    await page.unroute("**/cargar");
    await expect(page.getByText("Aún no ha cargado documentos.")).toBeVisible();
  }

  for (const u of uploads) await cargar(page, js, u);
  await expectAccessible(page);
  // The list and the detail know the draft: "Continuar postulación" leads back here.
  await miPostulacion(page, codigo, "En registro", "Continuar postulación");
  await expect(page).toHaveURL(postulacionUrl);
  await expect(row(page, uploads[0]!.label)).toContainText(uploads[0]!.name);
  // The table in the drop-down's order.
  const tipos = await page.getByRole("table").getByRole("row").locator("td:first-child").allInnerTexts();
  expect(tipos).toEqual(labels);
  // "Ver" opens the PDF as it was received.
  const ver = await openPdf(page, row(page, uploads[1]!.label).getByRole("link", { name: `Ver ${uploads[1]!.label}` }));
  expect(ver.equals(uploads[1]!.bytes)).toBe(true);

  // A wrong file is refused with its Spanish message at the field: with JavaScript an image
  // renamed .pdf, without it a password-protected PDF.
  const [wrongName, wrongBytes, message] = js
    ? ["foto-del-dni.pdf", await page.screenshot({ type: "png" }), "El archivo no es un PDF válido"]
    : ["ficha-protegida.pdf", await protegidoPdf(), "El archivo está protegido con contraseña"];
  if (js) expect(wrongBytes.subarray(1, 4).toString("latin1")).toBe("PNG"); // a real image
  await chooseType(page, uploads[0]!.label);
  await archivo.setInputFiles({ name: wrongName, mimeType: "application/pdf", buffer: wrongBytes });
  await press(page.getByRole("button", { name: "CARGAR" }));
  await expect(archivo).toHaveAccessibleDescription(new RegExp(message));
  await expect(archivo).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("alert").filter({ hasText: message })).toBeVisible();
  // No success notice beside the refusal.
  await expect(page.getByRole("status").filter({ hasText: /documento cargado/i })).toHaveCount(0);
  await expectAccessible(page);
  // Nothing replaced: the first document is still the one uploaded.
  await expect(row(page, uploads[0]!.label)).toContainText(uploads[0]!.name);
  // "CONFIRMAR DOCUMENTO CARGADO": one checkbox per document.
  await expect(page.getByRole("columnheader", { name: "CONFIRMAR DOCUMENTO CARGADO" })).toBeVisible();
  for (const u of uploads) await page.getByRole("checkbox", { name: `Confirmar ${u.label}` }).check();
  if (!js) {
    await press(page.getByRole("button", { name: "Guardar confirmaciones" }));
    await expect(page.getByRole("status").filter({ hasText: "Confirmaciones guardadas." })).toBeVisible();
    for (const u of uploads) await expect(page.getByRole("checkbox", { name: `Confirmar ${u.label}` })).toBeChecked();
  } else {
    // With JavaScript each box is saved as it is ticked: no button, and a reload keeps them.
    await expect(page.getByRole("button", { name: "Guardar confirmaciones" })).toHaveCount(0);
    await expect(page.getByRole("status").filter({ hasText: "Confirmación guardada." })).toBeVisible();
    await page.waitForLoadState("networkidle");
    await page.reload();
    for (const u of uploads) await expect(page.getByRole("checkbox", { name: `Confirmar ${u.label}` })).toBeChecked();
  }

  // "Verificar Ficha Postulante": one PDF, the cover and then every page uploaded.
  await checkFicha(page, uploads);

  const finalizar = page.getByRole("button", { name: "Guardar y Finalizar Postulación" });
  const declaracion = page.getByRole("group", { name: "DECLARACIÓN" }).getByRole("checkbox", { name: DECLARACION });
  if (js) {
    await declaracion.check();
    // By keyboard: Enter on the button opens the confirmation message (2.1.5) as a dialog.
    await finalizar.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Finalizar Postulación" });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(codigo);
    await expectAccessible(page);
    // "Cancelar" and Escape close it; nothing is registered.
    await press(dialog.getByRole("button", { name: "Cancelar" }));
    await expect(dialog).toBeHidden();
    await press(finalizar);
    await expect(dialog).toBeVisible();
    await page.keyboard.press("Escape");
    await expect(dialog).toBeHidden();
    // "Aceptar" needs the message's checkbox: without it the focus goes there.
    await press(finalizar);
    await press(dialog.getByRole("button", { name: "Aceptar" }));
    const acepto = dialog.getByRole("checkbox", { name: ACEPTO });
    await expect(acepto).toBeFocused();
    await page.keyboard.press("Space");
    await expect(acepto).toBeChecked();
    // A document unconfirmed and the DECLARACIÓN unchecked: the dialog does not open, and one
    // answer names both at once, each at its field.
    const ultimo = page.getByRole("checkbox", { name: `Confirmar ${uploads.at(-1)!.label}` });
    await press(dialog.getByRole("button", { name: "Cancelar" }));
    await ultimo.uncheck();
    await declaracion.uncheck();
    await press(finalizar);
    const resumen = page.getByRole("alert").filter({ hasText: "Revise los datos ingresados" });
    await expect(resumen).toContainText(`«CONFIRMAR DOCUMENTO CARGADO» de ${uploads.at(-1)!.label}`);
    await expect(resumen).toContainText("Marque la casilla de la DECLARACIÓN");
    await expect(resumen).toBeFocused();
    await expect(dialog).toBeHidden();
    await expect(ultimo).toHaveAttribute("aria-invalid", "true");
    await expect(declaracion).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);
    await ultimo.check();
    await declaracion.check();
    // Changed behind the open dialog (as from another tab): "Aceptar" is refused, the dialog
    // closes and the message is shown and focused.
    await press(finalizar);
    await expect(dialog).toBeVisible();
    await expect(acepto).toBeChecked();
    await ultimo.evaluate((box: HTMLInputElement) => (box.checked = false));
    await press(dialog.getByRole("button", { name: "Aceptar" }));
    const refusal = page.getByRole("alert").filter({ hasText: `«CONFIRMAR DOCUMENTO CARGADO» de ${uploads.at(-1)!.label}` });
    await expect(refusal).toBeFocused();
    await expect(dialog).toBeHidden();
    await ultimo.check();
    await finalizar.focus();
    await page.keyboard.press("Enter");
    await expect(dialog).toBeVisible();
    await expect(acepto).toBeChecked();
    await dialog.getByRole("button", { name: "Aceptar" }).focus();
    await page.keyboard.press("Enter");
  } else {
    // Without the DECLARACIÓN and with a document unconfirmed the server refuses, naming both at once.
    const ultimo = page.getByRole("checkbox", { name: `Confirmar ${uploads.at(-1)!.label}` });
    await ultimo.uncheck();
    await press(finalizar);
    await expect(declaracion).toHaveAttribute("aria-invalid", "true");
    await expect(ultimo).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("alert")).toContainText("Marque la casilla de la DECLARACIÓN");
    await expect(page.getByRole("alert")).toContainText(`«CONFIRMAR DOCUMENTO CARGADO» de ${uploads.at(-1)!.label}`);
    await expect(page.getByRole("status").filter({ hasText: "Confirmaciones guardadas." })).toHaveCount(0);
    await expectAccessible(page);
    await ultimo.check();
    await declaracion.check();
    await press(page.getByRole("button", { name: "Guardar y Finalizar Postulación" }));
    // The confirmation message is a page of its own.
    await expect(page).toHaveURL(/\/finalizar$/);
    await expect(page.getByRole("heading", { level: 1, name: "Finalizar Postulación" })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(codigo);
    await expectAccessible(page);
    await press(page.getByRole("button", { name: "Aceptar" }));
    const acepto = page.getByRole("checkbox", { name: ACEPTO });
    await expect(acepto).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(page);
    await acepto.check();
    await press(page.getByRole("button", { name: "Aceptar" }));
  }

  // Success (2.1.6): the message, the number, the date and time in Lima, constancia and ficha.
  await expect(page).toHaveURL(/\/confirmada$/);
  await expect(page.getByRole("status")).toContainText("Su postulación ha sido registrada satisfactoriamente");
  const summary = page.getByRole("main").locator("dl");
  const numero = (await summary.locator("dt:has-text('Número de postulación') + dd").innerText()).trim();
  const cuando = (await summary.locator("dt:has-text('Fecha y hora de registro') + dd").innerText()).trim();
  expect(numero).toMatch(/^\d{4}-\d{6}$/);
  expect(cuando).toMatch(/\d{2}:\d{2}/);
  await expect(summary).toContainText(codigo);
  await expectAccessible(page);
  const constancia = await fetchPdf(page, page.getByRole("link", { name: "Descargar constancia de postulación (PDF)" }));
  expect(constancia.getPageCount()).toBeGreaterThanOrEqual(1);
  await checkFichaRegistrada(page, page.getByRole("link", { name: "Ver Ficha de Postulación (PDF)" }), numero, cuando, uploads);

  // The e-mail repeats the number and the time and carries the constancia.
  const mail = await waitForMail(a.email, new RegExp(`Postulación registrada N° ${numero}`));
  expect(mail.text).toContain("Su postulación ha sido registrada satisfactoriamente");
  expect(mail.text).toContain(numero);
  expect(mail.text).toContain(cuando);
  expect(mail.attachments).toEqual([expect.objectContaining({ filename: `constancia-${numero}.pdf`, contentType: "application/pdf" })]);
  // Its HTML part links to the postulación (issue 12): followed, it shows the registered postulación.
  expect(mail.html).toContain('<html lang="es">');
  const enlace = mail.html!.match(new RegExp(`<a href="([^"]+)"[^>]*>Ver mi postulación N° ${numero}</a>`))?.[1];
  expect(enlace?.startsWith(`${E2E.baseUrl}/postulacion/`), enlace).toBe(true);
  await page.goto(enlace!);
  await expect(page.getByRole("heading", { level: 1, name: "Postulación Confirmada" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(numero);

  // "Mis postulaciones": registrada, with its number, the Lima date and the constancia and ficha.
  await press(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Mis postulaciones" }));
  await expect(page.getByRole("heading", { level: 1, name: "Mis postulaciones" })).toBeVisible();
  const mia = page.getByRole("row").filter({ hasText: codigo });
  await expect(mia).toHaveCount(1);
  await expect(mia).toContainText("Registrada");
  await expect(mia).toContainText(numero);
  await expect(mia).toContainText(`Registrada el ${cuando}`);
  await expect(mia.getByRole("link", { name: `Constancia ${codigo}` })).toBeVisible();
  await expect(mia.getByRole("link", { name: `Ficha ${codigo}` })).toBeVisible();
  await expectAccessible(page);
  expect((await fetchPdf(page, mia.getByRole("link", { name: `Constancia ${codigo}` }))).getPageCount()).toBe(constancia.getPageCount());
  await checkFichaRegistrada(page, mia.getByRole("link", { name: `Ficha ${codigo}` }), numero, cuando, uploads);

  // The list and the detail know it is registrada: "Ver mi postulación" instead of POSTULAR, leading back.
  await miPostulacion(page, codigo, "Registrada", "Ver mi postulación");
  await expect(page).toHaveURL(postulacionUrl);
  await expect(page.getByRole("status").filter({ hasText: "Ya postuló a esta convocatoria" })).toContainText(numero);
  await expect(page.getByRole("button", { name: "CARGAR" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Guardar y Finalizar Postulación" })).toHaveCount(0);
  for (const u of uploads) await expect(page.getByRole("checkbox", { name: `Confirmar ${u.label}` })).toBeDisabled();
  await expectAccessible(page);
  await page.goto("/mis-postulaciones");
  await expect(page.getByRole("row").filter({ hasText: codigo })).toHaveCount(1);
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 480_000 }); // the no-JS axe checks load each page twice

    test(
      js
        ? "a new Peruvian applicant postulates: POSTULAR through login, uploads every required PDF (Liberar, progress and cancel), a renamed image refused, ficha pages counted, autosaved confirmations, everything missing named at once, confirmation dialog by keyboard, success, e-mail with the constancia, Mis postulaciones, the list and detail leading back (Continuar postulación, Ver mi postulación)"
        : "a new foreign applicant postulates: POSTULAR through login, uploads every required PDF, a password-protected PDF refused, ficha pages counted, the declaration and a confirmation named at once, the confirmation page, success, e-mail with the constancia, Mis postulaciones, the list and detail leading back (Continuar postulación, Ver mi postulación)",
      async ({ page }) => {
        // Different applicants and different convocatorias (the 2nd and 3rd open ones of the demo data).
        await journey(page, js ? peruana() : extranjero(), js, js ? 1 : 2);
      },
    );
  });
}
