import type { Locator } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { expect, test, expectAccessible, chooseUbigeo, signIn, signOut, uniqueCarnet, uniqueEmail } from "./support/fixtures";
import { holdNavigation, holdScripts, waitForHydration } from "./support/hydration";

// Issue 12, item 4: what is typed is what is sent. On each form, values typed right after a
// navigation — while a client-side navigation to the same page loads, or in the server-rendered
// page before its script has run (the scripts are held back to make that moment last) — are
// the ones saved. One new applicant, through registro, login, Mi Perfil and the upload form.

const a = {
  nacionalidad: "Venezuela",
  tipoDocumento: "Carnet de extranjería",
  numeroDocumento: uniqueCarnet(),
  email: uniqueEmail("formularios"),
  password: "Caracas-Misti-2026",
};

async function pdf(titulo: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 595]).drawText(titulo, { x: 30, y: 540, size: 12, font });
  return Buffer.from(await doc.save());
}

/** The option a select shows as chosen. */
const selected = (select: Locator) => select.locator("option:checked");

test.describe("what is typed is what is sent", () => {
  test.describe.configure({ mode: "serial", timeout: 300_000 });

  test("registro: nationality, document type and number chosen before the page's script runs are kept and sent", async ({ page }) => {
    const scripts = await holdScripts(page);
    await page.goto("/registro", { waitUntil: "commit" });
    await page.getByLabel("Nacionalidad").selectOption({ label: a.nacionalidad });
    await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
    await page.getByLabel("Número de documento").fill(a.numeroDocumento);
    await scripts.release();
    await waitForHydration(page.getByLabel("Número de documento"));
    await expect(selected(page.getByLabel("Nacionalidad"))).toHaveText(a.nacionalidad);
    await expect(selected(page.getByLabel("Tipo de documento"))).toHaveText(a.tipoDocumento);
    await expect(page.getByLabel("Número de documento")).toHaveValue(a.numeroDocumento);
    await page.getByRole("button", { name: "Siguiente" }).click();

    await expect(page.getByRole("heading", { level: 1, name: "Registrar Datos de Usuario" })).toBeVisible();
    const documento = page.getByRole("region", { name: "Documento de identidad" });
    await expect(documento).toContainText(a.numeroDocumento);
    await expect(documento).toContainText(a.tipoDocumento);
    // Step 2, typed at once after the client-side navigation.
    await page.getByLabel("Nombres", { exact: true }).fill("Simón José");
    await page.getByLabel("Apellido paterno").fill("Bolívar");
    await page.getByLabel("Apellido materno").fill("Palacios");
    await page.getByLabel("Fecha de nacimiento").fill("1990-07-24");
    await page.getByRole("radio", { name: "Masculino" }).check();
    await page.getByLabel("Correo electrónico", { exact: true }).fill(a.email);
    await page.getByLabel("Confirmar correo electrónico").fill(a.email);
    await page.getByLabel("Celular").fill("+58 4141234567");
    await page.getByLabel("Dirección").fill("Av. Arequipa 2450");
    await chooseUbigeo(page, { departamento: "AREQUIPA", provincia: "AREQUIPA", distrito: "CAYMA" }, true);
    await page.getByLabel("Contraseña", { exact: true }).fill(a.password);
    await page.getByLabel("Confirmar contraseña").fill(a.password);
    await page.getByRole("checkbox", { name: /Acepto el tratamiento de mis datos personales/ }).check();
    await page.getByRole("button", { name: "Registrar" }).click();
    // The same answer whether or not the data had an account (issue 11): nobody is signed in.
    await expect(page.getByRole("heading", { level: 1, name: "Revise su correo" })).toBeVisible();
  });

  test("login: typed before the page's script runs, and right after a client-side navigation to it", async ({ page }) => {
    const scripts = await holdScripts(page);
    await page.goto("/login", { waitUntil: "commit" });
    await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
    await page.getByLabel("Número de documento").fill(a.numeroDocumento);
    await page.getByLabel("Contraseña", { exact: true }).fill(a.password);
    await scripts.release();
    await waitForHydration(page.getByLabel("Número de documento"));
    await expect(selected(page.getByLabel("Tipo de documento"))).toHaveText(a.tipoDocumento);
    await expect(page.getByLabel("Número de documento")).toHaveValue(a.numeroDocumento);
    await expect(page.getByLabel("Contraseña", { exact: true })).toHaveValue(a.password);
    await page.getByRole("main").getByRole("button", { name: "Ingresar" }).click();
    await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" })).toBeVisible();
    await signOut(page);

    await page.goto("/convocatorias");
    await waitForHydration(page.getByRole("heading", { level: 1 }));
    await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Ingresar" }).click();
    await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
    await page.getByLabel("Número de documento").fill(a.numeroDocumento);
    await page.getByLabel("Contraseña", { exact: true }).fill(a.password);
    await page.getByRole("main").getByRole("button", { name: "Ingresar" }).click();
    await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" })).toBeVisible();
  });

  test("Mi Perfil: a Celular typed while a click on Mi Perfil loads is saved; a departamento chosen before the page's script runs fills the provinces", async ({ page }) => {
    await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
    await expect(page).toHaveURL(/\/mi-perfil$/);
    await waitForHydration(page.getByLabel("Celular"));

    // The steps: click "Mi Perfil", type the Celular without waiting, save, reload.
    const celular = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
    const navigation = await holdNavigation(page, "/mi-perfil");
    await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Mi Perfil" }).click();
    await page.getByLabel("Celular").fill(celular);
    await navigation.release();
    await expect(page.getByLabel("Celular")).toHaveValue(celular);
    await page.getByRole("button", { name: "Guardar cambios" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sus datos de contacto fueron guardados." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Celular")).toHaveValue(celular);

    const scripts = await holdScripts(page);
    await page.goto("/mi-perfil", { waitUntil: "commit" });
    await page.getByLabel("Departamento", { exact: true }).selectOption({ label: "CUSCO" });
    await page.getByLabel("Dirección").fill("Calle Plateros 345");
    await scripts.release();
    await waitForHydration(page.getByLabel("Dirección"));
    await expect(page.getByLabel("Dirección")).toHaveValue("Calle Plateros 345");
    await expect(selected(page.getByLabel("Departamento", { exact: true }))).toHaveText("CUSCO");
    await page.getByLabel("Provincia", { exact: true }).selectOption({ label: "CUSCO" });
    await page.getByLabel("Distrito", { exact: true }).selectOption({ label: "POROY" });
    await page.getByRole("button", { name: "Guardar cambios" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Sus datos de contacto fueron guardados." })).toBeVisible();
    await page.reload();
    await expect(page.getByLabel("Dirección")).toHaveValue("Calle Plateros 345");
    await expect(selected(page.getByLabel("Distrito", { exact: true }))).toHaveText("POROY");
  });

  test("the postulación page: the upload form used right after POSTULAR, and a file and a confirmation chosen before the page's script runs", async ({ page }) => {
    await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
    await page.goto("/convocatorias?estado=en_postulacion");
    const card = page.getByRole("article").first();
    const codigo = (await card.getByRole("heading").innerText()).trim();
    await card.getByRole("link", { name: `POSTULAR a ${codigo}` }).click();
    // At once, on the page POSTULAR opened.
    await page.getByLabel("Tipo de documento").selectOption("FICHA_CURRICULAR");
    await page.getByLabel("Archivo (PDF)").setInputFiles({ name: "ficha.pdf", mimeType: "application/pdf", buffer: await pdf("Ficha Curricular") });
    await page.getByRole("button", { name: "CARGAR" }).click();
    await expect(page.locator(".upload-status")).toHaveText("Ficha Curricular: documento cargado.");
    await expect(page.getByRole("row").filter({ hasText: "ficha.pdf" })).toHaveCount(1);

    const scripts = await holdScripts(page);
    await page.reload({ waitUntil: "commit" });
    await page.getByLabel("Tipo de documento").selectOption("DECLARACIONES_JURADAS");
    await page.getByLabel("Archivo (PDF)").setInputFiles({ name: "dj.pdf", mimeType: "application/pdf", buffer: await pdf("Declaraciones Juradas") });
    await page.getByRole("checkbox", { name: "Confirmar Ficha Curricular" }).check();
    await scripts.release();
    await waitForHydration(page.getByRole("button", { name: "CARGAR" }));
    // The box ticked before hydration is saved as the page's script starts; the file is named.
    await expect(page.getByRole("status").filter({ hasText: "Confirmación guardada." })).toBeVisible();
    await expect(page.getByText("Elegido: dj.pdf")).toBeVisible();
    await expect(page.getByRole("button", { name: "Guardar confirmaciones" })).toHaveCount(0);
    await expectAccessible(page);
    await page.getByRole("button", { name: "CARGAR" }).click();
    await expect(page.locator(".upload-status")).toHaveText("Declaraciones Juradas: documento cargado.");
    await page.reload();
    await expect(page.getByRole("row").filter({ hasText: "dj.pdf" })).toHaveCount(1);
    await expect(page.getByRole("checkbox", { name: "Confirmar Ficha Curricular" })).toBeChecked();
    await expect(page.getByRole("checkbox", { name: "Confirmar Declaraciones Juradas" })).not.toBeChecked();
  });
});
