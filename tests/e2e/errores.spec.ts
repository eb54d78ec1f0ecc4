import { expect, expectAccessible, test, uniqueDni } from "./support/fixtures";

// Issue 2, "Bad input": every field checked by the server; the Spanish message at the field and in
// an error summary at the top, which takes the focus (with JavaScript); what was typed kept,
// passwords aside.

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("Crear nuevo usuario refuses bad input with messages at the fields and in a summary that takes the focus, keeping what was typed", async ({ page }) => {
      await page.goto("/registro");
      await page.getByLabel("Nacionalidad").selectOption({ label: "Peruana" });
      await page.getByLabel("Tipo de documento").selectOption({ label: "DNI" });
      await page.getByLabel("Número de documento").fill("1234");
      const [paso1] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Siguiente" }).click(),
      ]);
      if (!js) expect(paso1.status()).toBe(422);

      const summary = page.getByRole("alert").filter({ hasText: "Revise los datos ingresados" });
      await expect(summary).toBeVisible();
      if (js) await expect(summary).toBeFocused();
      await expect(summary.getByRole("link", { name: /Número de documento: El DNI debe tener exactamente 8 dígitos/ })).toBeVisible();
      const numero = page.getByLabel("Número de documento");
      await expect(numero).toHaveAttribute("aria-invalid", "true");
      await expect(numero).toHaveAccessibleDescription(/El DNI debe tener exactamente 8 dígitos/);
      await expect(numero).toHaveValue("1234");
      await expectAccessible(page);
      // The summary's link leads to the field.
      await summary.getByRole("link", { name: /Número de documento/ }).click();
      await expect(page).toHaveURL(/#campo-numeroDocumento$/);

      await numero.fill(uniqueDni());
      await page.getByRole("button", { name: "Siguiente" }).click();
      await expect(page.getByRole("heading", { level: 1, name: "Registrar Datos de Usuario" })).toBeVisible();

      await page.getByLabel("Nombres", { exact: true }).fill("Ana <b>Lucía</b>");
      await page.getByLabel("Fecha de nacimiento").fill("1990-01-01");
      await page.getByLabel("Correo electrónico", { exact: true }).fill("ana@cas.test");
      await page.getByLabel("Confirmar correo electrónico").fill("otra@cas.test");
      await page.getByLabel("Celular").fill("12");
      await page.getByLabel("Contraseña", { exact: true }).fill("corta");
      await page.getByLabel("Confirmar contraseña").fill("corta");
      const [paso2] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Registrar" }).click(),
      ]);
      if (!js) expect(paso2.status()).toBe(422);

      await expect(summary).toBeVisible();
      if (js) await expect(summary).toBeFocused();
      for (const label of ["Apellido paterno", "Confirmar correo electrónico", "Celular", "Contraseña", "Dirección"]) {
        await expect(summary.getByRole("link", { name: new RegExp(`^${label}: `) })).toBeVisible();
        await expect(page.getByLabel(label, { exact: true })).toHaveAttribute("aria-invalid", "true");
      }
      await expect(summary).toContainText("Tratamiento de datos personales: Debe aceptar");
      // What was typed is kept (shown as text, never run), passwords aside.
      await expect(page.getByLabel("Nombres", { exact: true })).toHaveValue("Ana <b>Lucía</b>");
      await expect(page.getByRole("main").locator("b")).toHaveCount(0);
      await expect(page.getByLabel("Correo electrónico", { exact: true })).toHaveValue("ana@cas.test");
      // The server never sends a password back (with JavaScript the page keeps the field as typed).
      if (!js) await expect(page.getByLabel("Contraseña", { exact: true })).toHaveValue("");
      await expect(page.getByRole("heading", { level: 1, name: "Registrar Datos de Usuario" })).toBeVisible();
      await expectAccessible(page);
    });

    test("a wrong document number and a wrong password get the same message at login", async ({ page }) => {
      const messages: string[] = [];
      for (const [numero, password] of [["45871236", "No-es-la-clave-1"], ["19283746", "Postula2026"]] as const) {
        await page.goto("/login");
        await page.getByLabel("Tipo de documento").selectOption({ label: "DNI" });
        await page.getByLabel("Número de documento").fill(numero);
        await page.getByLabel("Contraseña", { exact: true }).fill(password);
        await page.getByRole("main").getByRole("button", { name: "Ingresar" }).click();
        const alert = page.getByRole("alert");
        await expect(alert).toBeVisible();
        if (js) await expect(alert).toBeFocused();
        await expect(page.getByLabel("Número de documento")).toHaveValue(numero);
        if (!js) await expect(page.getByLabel("Contraseña", { exact: true })).toHaveValue("");
        await expectAccessible(page);
        messages.push((await alert.innerText()).trim());
      }
      expect(messages[0]).toContain("incorrectos");
      expect(messages[1]).toBe(messages[0]);
    });
  });
}
