import type { Page } from "@playwright/test";
import {
  expect, test,
  expectAccessible, linkIn, registerApplicant, signIn, signOut, uniqueCarnet, uniqueDni, uniqueEmail, verifyEmailFromMail,
  waitForMail, type Applicant,
} from "./support/fixtures";

// Issue 2, "Done when": tried as a new user would, with JavaScript and with JavaScript off.

function peruana(): Applicant {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres: "Rosa Elvira",
    apellidoPaterno: "Huamán",
    apellidoMaterno: "Quispe",
    fechaNacimiento: "1991-03-14",
    sexo: "Femenino",
    email: uniqueEmail("rosa"),
    celular: "987654321",
    direccion: "Jr. Los Pinos 245",
    ubigeo: { departamento: "LIMA", provincia: "LIMA", distrito: "MIRAFLORES" },
    password: "Cusco-Lluvia-2026",
  };
}

function extranjero(): Applicant {
  return {
    nacionalidad: "Venezuela",
    tipoDocumento: "Carnet de extranjería",
    numeroDocumento: uniqueCarnet(),
    nombres: "José Gregorio",
    apellidoPaterno: "Pérez",
    apellidoMaterno: "Rondón",
    fechaNacimiento: "1988-11-02",
    sexo: "Masculino",
    email: uniqueEmail("jose"),
    celular: "+58 4121234567",
    direccion: "Av. Túpac Amaru 1020",
    ubigeo: { departamento: "AREQUIPA", provincia: "AREQUIPA", distrito: "CAYMA" },
    password: "Caracas-Arequipa-88",
  };
}

async function openMiPerfil(page: Page) {
  await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Mi Perfil" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mi Perfil" })).toBeVisible();
  await expectAccessible(page);
}

/** Identity is shown as text; there is no field to change it. */
async function expectIdentityNotEditable(page: Page, a: Applicant) {
  const datos = page.getByRole("region", { name: "Datos personales" });
  await expect(datos.getByText(a.nombres, { exact: true })).toBeVisible();
  await expect(datos.getByText(a.apellidoPaterno, { exact: true })).toBeVisible();
  await expect(datos.getByText(`${a.tipoDocumento} ${a.numeroDocumento}`)).toBeVisible();
  await expect(datos.getByRole("textbox")).toHaveCount(0);
  for (const label of ["Nombres", "Apellido paterno", "Apellido materno", "Fecha de nacimiento", "Número de documento", "Nacionalidad"]) {
    await expect(page.getByLabel(label, { exact: true })).toHaveCount(0);
  }
  // Nor anywhere in the page's forms: no input carries the names.
  for (const input of await page.locator("input:not([type=hidden])").all()) {
    expect(await input.inputValue()).not.toBe(a.nombres);
  }
}

async function changeCelular(page: Page, celular: string) {
  await page.getByLabel("Celular").fill(celular);
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  await expect(page.getByRole("status")).toContainText("Sus datos de contacto fueron guardados.");
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByLabel("Celular")).toHaveValue(celular.replace(/\s/g, "")); // stored without spaces
}

async function recoverPassword(page: Page, a: Applicant, nueva: string) {
  await page.goto("/login");
  await page.getByRole("link", { name: "¿Olvidó su contraseña?" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "¿Olvidó su contraseña?" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
  await page.getByLabel("Número de documento").fill(a.numeroDocumento);
  await page.getByRole("button", { name: "Enviar enlace" }).click();
  await expect(page.getByRole("status")).toBeVisible();
  await expectAccessible(page);

  const mail = await waitForMail(a.email, /Restablecer su contraseña/);
  await page.goto(linkIn(mail.text));
  await expect(page.getByRole("heading", { level: 1, name: "Restablecer contraseña" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Nueva contraseña").fill(nueva);
  await page.getByLabel("Confirmar contraseña").fill(nueva);
  await page.getByRole("button", { name: "Guardar contraseña" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ingresar" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Su contraseña fue cambiada");

  // The old password no longer opens the account; the new one does.
  await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
  await page.getByLabel("Número de documento").fill(a.numeroDocumento);
  await page.getByLabel("Contraseña", { exact: true }).fill(a.password);
  await page.getByRole("main").getByRole("button", { name: "Ingresar" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expectAccessible(page);
  await signIn(page, a.tipoDocumento, a.numeroDocumento, nueva);
}

async function wholeJourney(page: Page, a: Applicant, js: boolean, nuevoCelular: string) {
  await registerApplicant(page, a, js);
  await verifyEmailFromMail(page, a.email);

  await openMiPerfil(page);
  await expect(page.getByText("Su correo electrónico no está verificado.")).toHaveCount(0);
  await expectIdentityNotEditable(page, a);

  await signOut(page);
  await page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Ingresar" }).click();
  await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
  await expect(page).toHaveURL(/\/mi-perfil$/);

  await signOut(page);
  const nueva = `${a.password}-Nueva9`;
  await recoverPassword(page, a, nueva);

  await openMiPerfil(page);
  await changeCelular(page, nuevoCelular);
  await expectIdentityNotEditable(page, a);
  await signOut(page);
}

/**
 * Issue 11: changing the e-mail asks for the current password (errors at the field and in the
 * summary), and the notice to the old address brings it back once, signing the account out.
 */
async function changeEmailAndUndo(page: Page, a: Applicant, js: boolean) {
  await registerApplicant(page, a, js);
  await openMiPerfil(page);
  const nuevo = uniqueEmail("intruso");
  await page.getByLabel("Correo electrónico", { exact: true }).fill(nuevo);
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  const summary = page.locator(".error-summary");
  await expect(summary.getByRole("link", { name: /^Contraseña actual, para cambiar el correo: / })).toBeVisible();
  await expect(page.getByLabel(/^Contraseña actual, para cambiar el correo/)).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
  await page.getByLabel("Correo electrónico", { exact: true }).fill(nuevo);
  await page.getByLabel(/^Contraseña actual, para cambiar el correo/).fill(a.password);
  await page.getByRole("button", { name: "Guardar cambios" }).click();
  await expect(page.getByText("Le enviamos un correo a su nueva dirección para verificarla.")).toBeVisible();

  const notice = await waitForMail(a.email, /Su correo electrónico en CAS Online cambió/);
  await page.goto(linkIn(notice.text));
  await expect(page.getByRole("heading", { level: 1, name: "Recuperar su correo anterior" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Recuperar mi correo anterior" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ingresar" })).toBeVisible();
  await expect(page.getByText("Su cuenta volvió a su correo anterior")).toBeVisible();
  await expectAccessible(page);
  await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
  await openMiPerfil(page);
  await expect(page.getByLabel("Correo electrónico", { exact: true })).toHaveValue(a.email);
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 240_000 });

    test("a Peruvian with DNI creates an account, verifies the e-mail, signs out and in, recovers the password and changes the celular; names are not editable", async ({ page }) => {
      await wholeJourney(page, peruana(), js, "912345678");
    });

    test("a foreigner with carnet de extranjería creates an account, verifies the e-mail, signs out and in, recovers the password and changes the celular; names are not editable", async ({ page }) => {
      await wholeJourney(page, extranjero(), js, "+58 4249876543");
    });

    test("changing the e-mail asks for the current password, and the old address's link brings it back (issue 11)", async ({ page }) => {
      await changeEmailAndUndo(page, peruana(), js);
    });
  });
}
