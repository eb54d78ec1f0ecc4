import { pdfText } from "../support/pdf-text";
import {
  chooseOption, expect, test, expectAccessible, pdfDePaginas, postularDemo, press, registerApplicant, uniqueDni, uniqueEmail, type Applicant,
} from "./support/fixtures";

// Issue 17, "Evidence for each requirement": on the Postulación page the applicant points each
// requirement of the perfil to a file and its pages; a wrong page is refused in Spanish at the
// field and in the summary; the Ficha de Postulación lists the map. JavaScript on and off, and on
// the phone projects (360 px first), axe on every page.

const FORMACION = "Sustentos de formación académica";

function postulante(): Applicant {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres: "Julia Esther",
    apellidoPaterno: "Condori",
    apellidoMaterno: "Apaza",
    fechaNacimiento: "1988-07-22",
    sexo: "Femenino",
    email: uniqueEmail("julia"),
    celular: "954321876",
    direccion: "Av. El Sol 210",
    ubigeo: { departamento: "CUSCO", provincia: "CUSCO", distrito: "WANCHAQ" },
    password: "Puno-Titicaca-Lago-88",
  };
}

for (const js of [true, false]) {
  test.describe(js ? "con JavaScript" : "sin JavaScript", () => {
    test.use({ javaScriptEnabled: js });
    test.describe.configure({ timeout: 480_000 });

    test("points each requirement to a file and its pages; a page beyond the file is refused at the field; the ficha lists the map", async ({ page }) => {
      await registerApplicant(page, postulante(), js);
      await postularDemo(page, 0);
      const seccion = page.getByRole("region", { name: "Sustento de requisitos del perfil" });
      await expect(seccion).toContainText("Cuando haya cargado sus documentos");

      // A 3-page título.
      const titulo = "titulo-profesional.pdf";
      await chooseOption(page.getByLabel("Tipo de documento"), new RegExp(`^${FORMACION} \\(`));
      await page.getByLabel("Archivo (PDF)").setInputFiles({ name: titulo, mimeType: "application/pdf", buffer: await pdfDePaginas("Título profesional", 3) });
      await press(page.getByRole("button", { name: "CARGAR" }));
      await expect(page.getByRole("table").getByRole("row").filter({ hasText: titulo })).toHaveCount(1);

      // Each requirement the perfil states, with its text one tap away.
      const formacion = seccion.getByRole("group", { name: "Formación académica" });
      await expect(formacion).toBeVisible();
      await expect(seccion.getByRole("group", { name: "Competencias" })).toHaveCount(0);
      await press(formacion.getByText("Ver el requisito"));
      await expect(formacion.locator("details p")).toBeVisible();
      await expectAccessible(page);

      const documento = formacion.getByRole("combobox", { name: /^Documento 1/ });
      const paginas = formacion.getByRole("textbox", { name: /^Páginas del documento 1/ });
      await chooseOption(documento, titulo);
      await paginas.fill("2-5");
      await press(seccion.getByRole("button", { name: "Guardar sustento" }));
      const mensaje = `«${titulo}» tiene 3 páginas: indique páginas entre 1 y 3.`;
      await expect(page.getByRole("alert").filter({ hasText: mensaje })).toBeVisible();
      await expect(formacion.getByRole("textbox", { name: /^Páginas del documento 1/ })).toHaveAccessibleDescription(new RegExp(mensaje.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
      await expect(formacion.getByRole("textbox", { name: /^Páginas del documento 1/ })).toHaveValue("2-5");
      await expectAccessible(page);

      await formacion.getByRole("textbox", { name: /^Páginas del documento 1/ }).fill("3, 1-2");
      await press(seccion.getByRole("button", { name: "Guardar sustento" }));
      await expect(page.getByRole("status").filter({ hasText: "Sustento de requisitos guardado." })).toBeVisible();
      // Stored as written the one way: "1-3"; a second row is offered for another file.
      await expect(formacion.getByRole("textbox", { name: /^Páginas del documento 1/ })).toHaveValue("1-3");
      await expect(formacion.getByRole("combobox", { name: /^Documento 2/ })).toHaveValue("");
      await expectAccessible(page);

      // "Verificar Ficha Postulante": the cover lists the map and where the pages are in the ficha.
      const href = await page.getByRole("link", { name: "Verificar Ficha Postulante" }).getAttribute("href");
      const res = await page.request.get(href!);
      expect(res.status()).toBe(200);
      const cover = (await pdfText(await res.body(), { first: 1, last: 1 })).replace(/\s+/g, " ");
      expect(cover).toContain("Sustento de requisitos del perfil");
      expect(cover).toMatch(new RegExp(`Formación académica ${FORMACION}: ${titulo.replace(".", "\\.")} 1-3 \\d+–\\d+`));
    });
  });
}
