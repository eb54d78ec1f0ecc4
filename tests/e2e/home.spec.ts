import { expect, test } from "@playwright/test";
import { expectAccessible } from "./support/fixtures";

test("the home page offers Crear nuevo usuario, the login form, Convocatorias and Descargar", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "es-PE");
  await expect(page.getByRole("link", { name: "Crear nuevo usuario" }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Descargar" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Convocatorias" })).toBeVisible();
  await expectAccessible(page);
});

test("the privacy notice is reachable from the footer", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: "Aviso de privacidad" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Aviso de privacidad" })).toBeVisible();
  await expectAccessible(page);
});
