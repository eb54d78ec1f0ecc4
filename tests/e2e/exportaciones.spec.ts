import { execFileSync } from "node:child_process";
import { expect, expectAccessible, staffSignIn, test } from "./support/fixtures";

// Issue 14, "Exports that are complete", done when: staff downloads the fichas ZIP of the demo's
// process en evaluación and EVERY registered postulación has its registered ficha in it — the
// demo's fichas were never opened, so the background job builds them. Without JavaScript: the
// status page, once asked to, refreshes itself (<meta http-equiv="refresh">) until the ZIP is ready.

const GESTOR = { email: "gestor@cas.demo", password: "Personal-2026!" }; // docs/demo.md

test.describe("the fichas ZIP, without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a gestor prepares the ZIP of the process en evaluación and it holds the registered ficha of every registered postulación", async ({ page }) => {
    await staffSignIn(page, GESTOR.email, GESTOR.password);
    await page.goto("/admin/convocatorias?estado=en_evaluacion");
    const row = page.getByRole("main").getByRole("row").filter({ hasText: "Especialista en Gestión Migratoria" }).first();
    await row.getByRole("link").first().click();
    await page.getByRole("main").getByRole("link", { name: "Postulaciones", exact: true }).click();
    const registradas = Number((await page.getByRole("list", { name: "Conteo por estado" }).getByText(/^Registradas: \d+$/).innerText()).match(/\d+/)![0]);
    expect(registradas).toBeGreaterThanOrEqual(4);
    // The numbers and names as the list shows them (one page: the demo has few).
    const filas = page.getByRole("main").getByRole("table").getByRole("row");
    await expect(filas).toHaveCount(registradas + 1);
    const numeros = await filas.locator("td:first-child").allInnerTexts();
    const nombres = await filas.locator("td:nth-child(2)").allInnerTexts();

    await page.getByRole("link", { name: "Descargar fichas (ZIP)" }).click();
    await expect(page.getByRole("heading", { level: 1, name: /^Fichas de postulación \(ZIP\)/ })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("button", { name: "Preparar ZIP de fichas" }).click();
    await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
    await expectAccessible(page);
    // No script runs here: while it is prepared, the page is asked to reload itself every 3 s.
    const descargar = page.getByRole("link", { name: /^Descargar ZIP/ });
    const auto = page.getByRole("link", { name: "Actualizar automáticamente cada 3 segundos" });
    if (await auto.isVisible()) await auto.click();
    await expect(descargar).toBeVisible({ timeout: 150_000 });
    await expect(page.getByRole("heading", { level: 2, name: `Listo: ${registradas} fichas` })).toBeVisible();
    await expectAccessible(page);

    const [download] = await Promise.all([page.waitForEvent("download"), descargar.click()]);
    expect(download.suggestedFilename()).toMatch(/^fichas-.*\.zip$/);
    const zip = (await download.path())!;
    const entries = execFileSync("unzip", ["-Z1", zip], { encoding: "utf8" }).split("\n").filter(Boolean).sort();
    expect(entries).toEqual(numeros.map((n) => `ficha-${n.trim()}.pdf`).sort());
    for (const [i, numero] of numeros.entries()) {
      const pdf = execFileSync("unzip", ["-p", zip, `ficha-${numero.trim()}.pdf`], { maxBuffer: 256 << 20 });
      expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
      const text = execFileSync("pdftotext", ["-enc", "UTF-8", "-l", "2", "-", "-"], { input: pdf, encoding: "utf8" });
      expect(text).toContain("Registrada");
      expect(text).toContain(numero.trim());
      // The list says "Paterno Materno, Nombres"; the ficha "Nombres Paterno Materno".
      const [apellidos = "", nombresPila = ""] = nombres[i]!.split(", ");
      expect(text.replace(/\s+/g, " ")).toContain(`${nombresPila.trim()} ${apellidos.trim()}`);
    }
  });
});
