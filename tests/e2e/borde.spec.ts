import { readFileSync } from "node:fs";
import { expect, expectAccessible, test } from "./support/fixtures";
import { waitForHydration } from "./support/hydration";
import { rawGet } from "../support/raw-get";

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

// Issue 15: the built assets leave as built at build time (scripts/precompress.mjs), in the
// encoding the browser takes: the very bytes of the .br / .gz file, not a compression made per
// request (which would differ); a page is compressed too.
test("the built assets are sent precompressed, the page compressed", async ({ page, baseURL }) => {
  const response = await page.goto("/");
  expect(response?.headers()["content-encoding"]).toMatch(/^(br|gzip)$/);
  const script = (await response!.text()).match(/<link rel="modulepreload" href="(\/assets\/[^"]+\.js)"/)?.[1];
  expect(script).toBeDefined();
  const plain = await rawGet(`${baseURL}${script}`, "identity");
  expect(plain.headers["content-encoding"]).toBeUndefined();
  expect(plain.headers["cache-control"]).toContain("immutable");
  expect(plain.body.equals(readFileSync(`build/client${script}`))).toBe(true);
  for (const [encoding, extension] of [["br", "br"], ["gzip", "gz"]]) {
    const compressed = await rawGet(`${baseURL}${script}`, encoding!);
    expect(compressed.headers["content-encoding"]).toBe(encoding);
    expect(compressed.headers["vary"]).toMatch(/accept-encoding/i);
    expect(compressed.headers["cache-control"]).toContain("immutable");
    expect(compressed.body.equals(readFileSync(`build/client${script}.${extension}`))).toBe(true);
  }
});

// Issue 15: an anonymous public page carries no CSRF token and sets no cookie, so one rendering
// serves every visitor (and a shared cache in front). A form reached from it without a page load
// still posts with its token: the root reloads its data on that navigation (app/root.tsx).
test("a form reached from the token-free list by a client-side navigation posts with its token", async ({ page, context }) => {
  const response = await page.goto("/convocatorias");
  expect(response?.headers()["set-cookie"]).toBeUndefined();
  expect(await context.cookies()).toEqual([]);
  const ingresar = page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Ingresar" });
  await waitForHydration(ingresar);
  await ingresar.click();
  await expect(page.getByRole("heading", { level: 1, name: "Ingresar" })).toBeVisible();
  expect((await context.cookies()).map((c) => c.name)).toContain("csrf");
  await expect(page.locator('main input[name="csrf"]')).not.toHaveValue("");
  await page.getByLabel("Tipo de documento").selectOption({ index: 1 });
  await page.getByLabel("Número de documento").fill("45879632");
  await page.getByLabel("Contraseña", { exact: true }).fill("no-es-la-contraseña");
  await page.getByRole("main").getByRole("button", { name: "Ingresar" }).click();
  // The action ran (a wrong password), which it does only after the CSRF check passed.
  await expect(page.getByRole("alert")).toContainText("Tipo de documento, número o contraseña incorrectos.");
  await expect(page.getByText("La página caducó")).toHaveCount(0);
});
