import type { Page } from "@playwright/test";
import { expect, expectAccessible, isPhone, linkIn, press, signIn, test, uniqueEmail, waitForMail } from "./support/fixtures";

// Issue 17, "Alerts": from a search of the Listado de Convocatorias, anyone with an e-mail saves
// it as an alert (double opt-in), lands on the alert's page and can cancel it with the same POST
// a mail client's one click sends; a signed-in applicant's alert is active at once and is deleted
// from "Mis alertas". With JavaScript on and off, at desktop width and on a 360 px phone, axe on
// every page.

const MARIA = { tipo: "DNI", numero: "45871236", password: "Postula2026" }; // docs/demo.md

/** The list searched by a word, then "Crear alerta con esta búsqueda". */
async function alertFromList(page: Page, palabra: string) {
  await page.goto("/convocatorias");
  await page.getByLabel("Buscar por código, puesto o unidad orgánica").fill(palabra);
  await press(page.getByRole("button", { name: "Buscar" }));
  await expect(page).toHaveURL(new RegExp(`q=${palabra}`));
  await press(page.getByRole("link", { name: "Crear alerta con esta búsqueda" }));
  await expect(page.getByRole("heading", { level: 1, name: "Crear alerta" })).toBeVisible();
  await expect(page.getByRole("main").getByText(`Palabras: «${palabra}»`)).toBeVisible();
  await expectAccessible(page);
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 180_000 });

    test("anyone: Crear alerta → Revise su correo → Confirmar mi alerta → Cancelar alerta", async ({ page }) => {
      await alertFromList(page, "abogado");
      // Nothing typed: the message at the field and in the summary.
      await press(page.getByRole("button", { name: "Crear alerta" }));
      const summary = page.getByRole("alert").filter({ hasText: "Revise los datos ingresados" });
      await expect(summary).toContainText("Correo electrónico: Ingrese su correo electrónico.");
      await expect(page.locator("#campo-email-error")).toContainText("Ingrese su correo electrónico.");
      await expect(page.getByLabel("Correo electrónico")).toHaveAttribute("aria-invalid", "true");
      await expectAccessible(page);

      const email = uniqueEmail(js ? "alerta-js" : "alerta-nojs");
      await page.getByLabel("Correo electrónico").fill(email);
      await press(page.getByRole("button", { name: "Crear alerta" }));
      await expect(page.getByRole("heading", { level: 1, name: "Revise su correo" })).toBeVisible();
      await expectAccessible(page);

      const mail = await waitForMail(email, /Confirme su alerta/);
      expect(mail.text).toContain("Palabras: «abogado»");
      const link = linkIn(mail.text.slice(mail.text.indexOf("Confirmar mi alerta:")));
      expect(new URL(link).pathname).toBe("/alertas/confirmar");
      await page.goto(link);
      await expect(page.getByRole("heading", { level: 1, name: "Confirmar alerta" })).toBeVisible();
      await expectAccessible(page);
      await press(page.getByRole("button", { name: "Confirmar mi alerta" }));
      await expect(page.getByRole("heading", { level: 1, name: "Alerta confirmada" })).toBeVisible();
      await expect(page.getByRole("main").getByText("Palabras: «abogado»")).toBeVisible();
      await expectAccessible(page);

      await press(page.getByRole("button", { name: "Cancelar alerta" }));
      await expect(page.getByRole("heading", { level: 1, name: "Alerta cancelada" })).toBeVisible();
      await expectAccessible(page);
      // The link used again names no alert.
      await page.goto(link);
      await expect(page.getByRole("heading", { level: 1, name: "No se pudo confirmar la alerta" })).toBeVisible();
    });

    test("a signed-in applicant: the account's address, active at once, listed and deleted in Mis alertas", async ({ page }) => {
      await signIn(page, MARIA.tipo, MARIA.numero, MARIA.password);
      const palabra = js ? "especialista" : "asistente";
      await alertFromList(page, palabra);
      await expect(page.getByLabel("Correo electrónico")).toHaveAttribute("readonly", "");
      await press(page.getByRole("button", { name: "Crear alerta" }));
      await expect(page.getByRole("heading", { level: 1, name: "Mis alertas" })).toBeVisible();
      await expect(page.getByRole("status")).toContainText("Alerta creada.");
      const alerta = page.getByRole("main").getByRole("listitem").filter({ hasText: `Palabras: «${palabra}»` }).first();
      await expect(alerta).toBeVisible();
      await expectAccessible(page);
      await press(alerta.getByRole("button", { name: "Eliminar" }));
      await expect(page.getByRole("status")).toContainText("Alerta eliminada.");
      await expect(page.getByRole("main").getByText(`Palabras: «${palabra}»`)).toHaveCount(0);
      await expectAccessible(page);
      // Mi Perfil points here.
      await page.goto("/mi-perfil");
      await press(page.getByRole("link", { name: "Mis alertas" }).last());
      await expect(page.getByRole("heading", { level: 1, name: "Mis alertas" })).toBeVisible();
      if (isPhone()) await expectAccessible(page);
    });
  });
}
