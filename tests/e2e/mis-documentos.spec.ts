import type { Locator, Page } from "@playwright/test";
import {
  chooseOption, expect, test, expectAccessible, pdfDePaginas, postularDemo, press, registerApplicant, uniqueDni, uniqueEmail, type Applicant,
} from "./support/fixtures";

// Issue 17, "Done when": several PDFs for one type, put in order with Subir/Bajar, and a file of
// Mis documentos used again in a second postulación without sending it again — with JavaScript
// on and off, and on the phone projects (360 px first) with axe on every page.

const EXPERIENCIA = "Sustentos de experiencia";

function postulante(): Applicant {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres: "Rosa Elvira",
    apellidoPaterno: "Huamán",
    apellidoMaterno: "Ccori",
    fechaNacimiento: "1990-03-14",
    sexo: "Femenino",
    email: uniqueEmail("rosa"),
    celular: "965432187",
    direccion: "Jr. Junín 450",
    ubigeo: { departamento: "CUSCO", provincia: "CUSCO", distrito: "WANCHAQ" },
    password: "Cusco-Inti-Raymi-90",
  };
}

/** "CARGAR" one PDF of EXPERIENCIA and wait for it in the table. */
async function cargar(page: Page, js: boolean, name: string, bytes: Buffer) {
  await chooseOption(page.getByLabel("Tipo de documento"), new RegExp(`^${EXPERIENCIA} \\(`));
  await page.getByLabel("Archivo (PDF)").setInputFiles({ name, mimeType: "application/pdf", buffer: bytes });
  await press(page.getByRole("button", { name: "CARGAR" }));
  if (js) await expect(page.locator(".upload-status")).toHaveText(`${EXPERIENCIA}: documento cargado.`);
  else await expect(page.getByRole("status").filter({ hasText: "Documento cargado." })).toBeVisible();
  await expect(page.getByRole("table").getByRole("row").filter({ hasText: name })).toHaveCount(1);
}

/** The documents table's "Archivo" cells, in its order (an assertion on them waits through a reload). */
function archivosEnTabla(page: Page): Locator {
  return page.getByRole("table").getByRole("row").locator("td:nth-child(2)");
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 480_000 });

    test("several PDFs for one type put in order with Subir/Bajar, then one used again in a second postulación from Mis documentos", async ({ page }) => {
      await registerApplicant(page, postulante(), js);

      // First postulación: two certificates for one type, the second put first.
      await postularDemo(page, 0);
      const uno = "certificado-uno.pdf";
      const dos = "certificado-dos.pdf";
      await cargar(page, js, uno, await pdfDePaginas("Certificado uno", 1));
      await cargar(page, js, dos, await pdfDePaginas("Certificado dos", 2));
      await expect(archivosEnTabla(page)).toHaveText([uno, dos]);
      await expect(page.getByRole("button", { name: `Subir ${EXPERIENCIA}: ${uno}` })).toHaveCount(0);
      await expect(page.getByRole("button", { name: `Bajar ${EXPERIENCIA}: ${dos}` })).toHaveCount(0);
      await expectAccessible(page);
      await press(page.getByRole("button", { name: `Subir ${EXPERIENCIA}: ${dos}` }));
      await expect(page.getByRole("status").filter({ hasText: "Orden de los documentos guardado." })).toBeVisible();
      await expect(archivosEnTabla(page)).toHaveText([dos, uno]);
      await press(page.getByRole("button", { name: `Bajar ${EXPERIENCIA}: ${dos}` }));
      await expect(archivosEnTabla(page)).toHaveText([uno, dos]);
      await expectAccessible(page);

      // Mis documentos lists both, once each, with the postulación that uses them.
      await press(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Mis documentos" }));
      await expect(page.getByRole("heading", { level: 1, name: "Mis documentos" })).toBeVisible();
      for (const name of [uno, dos]) await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(1);
      await expect(page.getByRole("link", { name: `Descargar ${uno}` })).toHaveAttribute("href", /^\/mis-documentos\//);
      await expectAccessible(page);

      // Second postulación: "Usar un documento guardado", with no new upload.
      await postularDemo(page, 1);
      await expect(page.getByText("Aún no ha cargado documentos.")).toBeVisible();
      const usar = page.getByRole("form", { name: "Usar un documento guardado" });
      await chooseOption(usar.getByLabel("Usar como"), new RegExp(`^${EXPERIENCIA} \\(`));
      await chooseOption(usar.getByLabel("Documento guardado"), dos);
      await expectAccessible(page);
      await press(usar.getByRole("button", { name: "Usar un documento guardado" }));
      await expect(page.getByRole("status").filter({ hasText: "Documento guardado agregado." })).toBeVisible();
      await expect(archivosEnTabla(page)).toHaveText([dos]);
      // Its CONFIRMAR DOCUMENTO CARGADO starts unticked here.
      await expect(page.getByRole("checkbox", { name: `Confirmar ${EXPERIENCIA}: ${dos}` })).not.toBeChecked();
      // The same file again in that type: refused in Spanish at the field.
      await chooseOption(usar.getByLabel("Usar como"), new RegExp(`^${EXPERIENCIA} \\(`));
      await chooseOption(usar.getByLabel("Documento guardado"), dos);
      await press(usar.getByRole("button", { name: "Usar un documento guardado" }));
      await expect(usar.getByLabel("Documento guardado")).toHaveAccessibleDescription(/Ese archivo ya está cargado en este tipo de documento/);
      await expect(page.getByRole("alert").filter({ hasText: "Ese archivo ya está cargado en este tipo de documento." })).toBeVisible();
      await expectAccessible(page);
      await expect(archivosEnTabla(page)).toHaveText([dos]);

      // Mis documentos: the file is still one, used by both postulaciones.
      await page.goto("/mis-documentos");
      await expect(page.getByRole("row").filter({ hasText: dos })).toHaveCount(1);
      await expect(page.getByRole("row").filter({ hasText: dos })).toContainText(/en registro.*en registro/);
      await expectAccessible(page);
    });
  });
}
