import { expect, expectAccessible, test } from "./support/fixtures";

// Issue 11: the pages the HTTP edge answers with itself (server/edge.ts), before any route runs,
// are Spanish, accessible, usable with the keyboard and fit a 360 px phone.

const PAGES = [
  { path: "/convocatorias?q=%00", status: 400, title: "Solicitud no válida" },
  { path: "/convocatorias/no-es-un-id", status: 404, title: "Página no encontrada" },
];

for (const width of [1280, 360]) {
  test.describe(`${width} px`, () => {
    test.use({ viewport: { width, height: 740 } });
    for (const { path, status, title } of PAGES) {
      test(`${path} answers ${status} with a page that leads back home`, async ({ page }) => {
        const response = await page.goto(path);
        expect(response?.status()).toBe(status);
        await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
        await expect(page).toHaveTitle(`${title} · CAS Online`);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
        await expectAccessible(page);
        await page.keyboard.press("Tab");
        await expect(page.getByRole("link", { name: "Volver al inicio" })).toBeFocused();
        await page.keyboard.press("Enter");
        await expect(page).toHaveURL(/\/$/);
      });
    }
  });
}
