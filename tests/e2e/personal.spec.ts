import { E2E } from "./support/env";
import { expect, expectAccessible, staffSignIn, test, uniqueEmail } from "./support/fixtures";

// Issue 2: staff sign in at /admin with e-mail and password (and the second factor their role
// requires); the administrator creates staff accounts and sets their roles.

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("the administrator signs in at /admin/login and creates a gestor in Personal, who can then sign in", async ({ page }) => {
      await staffSignIn(page, E2E.admin.email, E2E.admin.password);
      await expect(page.getByRole("heading", { level: 1, name: "Administración" })).toBeVisible();
      await expectAccessible(page);

      await page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Declaraciones Juradas" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expectAccessible(page);
      await page.goto("/admin");
      await page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Personal" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Personal" })).toBeVisible();
      await expectAccessible(page);

      const email = uniqueEmail("gestora");
      const password = "Gestion-Segura-2026";
      const crear = page.getByRole("region", { name: "Crear cuenta de personal" });
      await crear.getByLabel("Nombre").fill("Gestora de Prueba");
      await crear.getByLabel("Correo electrónico").fill(email);
      await crear.getByLabel("Rol").selectOption({ label: "Gestor" });
      await crear.getByLabel("Contraseña inicial").fill(password);
      await crear.getByRole("button", { name: "Crear cuenta" }).click();

      await expect(page.getByRole("status")).toContainText("La cuenta de personal fue creada.");
      const row = page.getByRole("row").filter({ hasText: email });
      await expect(row).toContainText("Gestor");
      await expect(row).toContainText("Habilitada");
      await expectAccessible(page);

      // The new gestor signs in (enrolling the second factor) and sees Convocatorias, not Personal.
      await page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" }).click();
      await staffSignIn(page, email, password);
      const secciones = page.getByRole("navigation", { name: "Secciones de administración" });
      await expect(secciones.getByRole("link", { name: "Convocatorias" })).toBeVisible();
      await expect(secciones.getByRole("link", { name: "Personal" })).toHaveCount(0);
      await expectAccessible(page);
      expect((await page.goto("/admin/personal"))?.status()).toBe(403);
    });
  });
}
