import type { Page } from "@playwright/test";
import { pngBytes } from "../support/images";
import { E2E } from "./support/env";
import { expect, expectAccessible, press, signOut, staffSignIn, test } from "./support/fixtures";

// Issue 14, "Datos de la entidad" (docs/administracion.md): the administrador saves the entity's
// name, siglas, RUC, logo and help desk; the public pages show them in the header and footer.

/** Nothing scrolls sideways at 360 px (the page as it is now). */
async function fits360(page: Page) {
  const before = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `${page.url()} at 360 px`).toBeLessThanOrEqual(360);
  await page.setViewportSize(before);
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("the administrador saves Datos de la entidad and the public page shows them", async ({ page }) => {
      const nombre = js ? "Gobierno Regional de Piura" : "Municipalidad Provincial de Arequipa";
      const correo = js ? "mesadeayuda@regionpiura.gob.pe" : "ayuda@muniarequipa.gob.pe";
      await staffSignIn(page, E2E.admin.email, E2E.admin.password);
      await press(page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Datos de la entidad" }));
      await expect(page.getByRole("heading", { level: 1, name: "Datos de la entidad" })).toBeVisible();
      await expectAccessible(page);
      await fits360(page);

      // A RUC whose check digit is wrong: the message at the field and in the summary.
      await page.getByLabel("Nombre de la entidad").fill(nombre);
      await page.getByLabel("RUC").fill("20484004422");
      await press(page.getByRole("button", { name: "Guardar datos de la entidad" }));
      const summary = page.getByRole("alert").filter({ hasText: "Revise los datos ingresados" });
      await expect(summary).toContainText("RUC: El RUC no es válido");
      await expect(page.locator("#campo-ruc-error")).toContainText("El RUC no es válido");
      await expect(page.getByLabel("RUC")).toHaveAttribute("aria-invalid", "true");
      await expectAccessible(page);

      await page.getByLabel("Nombre de la entidad").fill(nombre);
      await page.getByLabel("Siglas").fill(js ? "GORE Piura" : "MPA");
      await page.getByLabel("RUC").fill("20484004421");
      await page.getByLabel("Correo de la mesa de ayuda").fill(correo);
      await page.getByLabel("Teléfono de la mesa de ayuda").fill("(073) 28-4600 anexo 1234");
      await page.getByLabel("Horario de atención de la mesa de ayuda").fill("lunes a viernes de 8:00 a 16:30");
      await page.getByLabel(/^(Nuevo logo|Logo)/).setInputFiles({ name: "escudo.png", mimeType: "image/png", buffer: pngBytes(96, 48, js ? [11, 61, 107] : [120, 20, 20]) });
      await press(page.getByRole("button", { name: "Guardar datos de la entidad" }));
      await expect(page.getByRole("status")).toContainText("Los datos de la entidad fueron guardados.");
      await expect(page.getByRole("img", { name: "Logo actual de la entidad" })).toBeVisible();
      await expect(page.getByLabel("Nombre de la entidad")).toHaveValue(nombre);
      await expectAccessible(page);
      await signOut(page);

      // A visitor (no session) on the public list: the header's name and logo, the footer's help desk.
      await page.goto("/convocatorias");
      const header = page.getByRole("banner");
      await expect(header.getByRole("link", { name: new RegExp(nombre) })).toBeVisible();
      const logo = header.locator("img.brand-logo");
      await expect(logo).toBeVisible();
      expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(96);
      const footer = page.getByRole("contentinfo");
      await expect(footer).toContainText(`${nombre} (${js ? "GORE Piura" : "MPA"}) · RUC 20484004421`);
      await expect(footer.getByRole("link", { name: correo })).toHaveAttribute("href", `mailto:${correo}`);
      await expect(footer).toContainText("Teléfono: (073) 28-4600 anexo 1234.");
      await expect(footer).toContainText("Horario de atención: lunes a viernes de 8:00 a 16:30.");
      await expectAccessible(page);
      await fits360(page);
    });
  });
}
