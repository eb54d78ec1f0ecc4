import type { Page } from "@playwright/test";
import { expect, expectAccessible, test } from "./support/fixtures";

// Keyboard only (WCAG 2.1.1): the applicant signs in and out with Tab, typing, Enter and Space.

/** Presses Tab until the element matching `selector` has the focus (at most 40 times). */
async function tabTo(page: Page, selector: string) {
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("an applicant signs in and out with the keyboard only", async ({ page }) => {
  await page.goto("/");
  // The skip link is the first stop and leads to the content.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Saltar al contenido" })).toBeFocused();

  await tabTo(page, "nav a[href='/login']");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Ingresar" })).toBeVisible();
  await expectAccessible(page);

  await tabTo(page, "main select[name=tipoDocumento]");
  await expect(page.getByLabel("Tipo de documento")).toHaveValue("DNI");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Número de documento")).toBeFocused();
  await page.keyboard.type("45871236");
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Contraseña", { exact: true })).toBeFocused();
  await page.keyboard.type("Postula2026");
  await page.keyboard.press("Enter");

  await expect(page.getByRole("heading", { level: 1, name: "Mi Perfil" })).toBeVisible();
  await expectAccessible(page);

  // Every focused control shows where the focus is (a visible outline).
  await tabTo(page, "nav button");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe("none");
  await page.keyboard.press("Space");
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Ingresar" })).toBeVisible();
});
