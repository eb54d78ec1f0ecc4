import type { Browser, Locator, Page } from "@playwright/test";
import { PDFArray, PDFDocument, PDFName, PDFRawStream, StandardFonts, decodePDFRawStream, type PDFObject } from "pdf-lib";
import {
  expect, expectAccessible, registerApplicant, signIn, staffSignIn, test, uniqueDni, uniqueEmail, waitForMail, type Applicant,
} from "./support/fixtures";

// Issue 5, "Done when": tried as a new user would, in Chromium: a gestor reviews expedientes, two
// evaluadores score a stage, bonificaciones apply, the results are published, the public page and
// its PDF show them, and the applicants receive the e-mail and see their state in "Mis postulaciones".
//
// Preparation, through the UI as well: three applicants register and postulate (one of them
// uploads the sustento of Licenciado de las Fuerzas Armadas) to a convocatoria the gestor
// creates with a postulación window closing a few minutes later. The app has no way to end a
// published window early (only to extend it), so the journey waits for it to close, as a real
// process does, before the stages are closed and published.

const GESTOR = { email: "gestor@cas.demo", password: "Personal-2026!" }; // docs/demo.md
const EVALUADORES = [
  { email: "evaluador@cas.demo", nombre: "Jorge Salazar", password: "Personal-2026!" },
  { email: "evaluadora2@cas.demo", nombre: "Lucía Mendoza", password: "Personal-2026!" },
] as const;

/** How long after the gestor saves the convocatoria its postulación window closes (rounded up to the minute). */
const VENTANA_MS = 6 * 60_000;

type Postulante = Applicant & { ffaa: boolean; numero?: string };

function postulante(nombres: string, paterno: string, materno: string, ffaa: boolean): Postulante {
  return {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI",
    numeroDocumento: uniqueDni(),
    nombres,
    apellidoPaterno: paterno,
    apellidoMaterno: materno,
    fechaNacimiento: "1990-06-15",
    sexo: "Femenino",
    email: uniqueEmail(paterno.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()),
    celular: "987654321",
    direccion: "Av. Arequipa 1500",
    ubigeo: { departamento: "LIMA", provincia: "LIMA", distrito: "LINCE" },
    password: "Postula-Evaluacion-2026",
    ffaa,
  };
}

/** "Paterno Materno, Nombres": how the lists name a postulante. */
const nombreLista = (p: Postulante) => `${p.apellidoPaterno} ${p.apellidoMaterno}, ${p.nombres}`;

/** A date and time in Lima (UTC−5, no daylight saving) for the cronograma's inputs. */
function lima(at: Date): { fecha: string; hora: string } {
  const iso = new Date(at.getTime() - 5 * 3600_000).toISOString();
  return { fecha: iso.slice(0, 10), hora: iso.slice(11, 16) };
}
const DIA = 86_400_000;

/** A small real PDF made in the test. */
async function smallPdf(text: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 300]).drawText(text, { x: 30, y: 150, size: 12, font });
  return Buffer.from(await doc.save());
}

/** WinAnsiEncoding (cp1252) bytes → text: Latin-1 but for 0x80–0x9F (Node's TextDecoder may lack cp1252 without full ICU). */
const CP1252_80_9F = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";
const winAnsi = (bytes: Uint8Array) => Array.from(bytes, (b) => (b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : String.fromCharCode(b))).join("");

/** The text a PDF shows: the strings of its pages' content streams (pdf-lib writes them as WinAnsi hex strings). */
async function pdfText(bytes: Buffer): Promise<string> {
  const doc = await PDFDocument.load(bytes);
  const out: string[] = [];
  const streamBytes = (o: PDFObject | undefined): Uint8Array[] => {
    const obj = o ? doc.context.lookup(o) : undefined;
    if (obj instanceof PDFRawStream) return [decodePDFRawStream(obj).decode()];
    if (obj instanceof PDFArray) return obj.asArray().flatMap(streamBytes);
    return [];
  };
  for (const page of doc.getPages()) {
    for (const raw of streamBytes(page.node.get(PDFName.of("Contents")))) {
      const ops = Buffer.from(raw).toString("latin1");
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj|\(((?:\\.|[^\\)])*)\)\s*Tj/g)) {
        out.push(m[1] !== undefined ? winAnsi(Buffer.from(m[1], "hex")) : m[2]!.replace(/\\(.)/g, "$1"));
      }
    }
  }
  return out.join(" ");
}

/** A file behind a link, fetched with the page's cookies (Chromium would open a PDF in its viewer). */
async function fetchLinked(page: Page, link: Locator): Promise<{ status: number; type: string; body: Buffer }> {
  const href = await link.getAttribute("href");
  const res = await page.request.get(href!);
  return { status: res.status(), type: res.headers()["content-type"] ?? "", body: await res.body() };
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: "es-PE", timezoneId: "America/Lima" });
  return context.newPage();
}

/** The gestor creates and publishes the convocatoria (1 vacante) whose window closes at `cierre`. */
async function crearConvocatoria(page: Page, codigo: string, puesto: string, cierre: Date): Promise<string> {
  await page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Convocatorias" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Convocatorias" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("link", { name: "Nueva convocatoria" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nueva convocatoria" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Código", { exact: true }).fill(codigo);
  await page.getByLabel("Puesto", { exact: true }).fill(puesto);
  await page.getByLabel("Unidad orgánica").fill("Oficina de Recursos Humanos");
  await page.getByLabel("Número de vacantes").fill("1");
  await page.getByLabel("Remuneración mensual (S/)").fill("4800.00");
  await page.getByLabel("Tipo de contrato").selectOption({ label: "Necesidad transitoria" });
  await page.getByLabel("Lugar de prestación: sede").fill("Sede central – Av. España 734, Breña");
  await page.getByLabel("Lugar de prestación: ubigeo del distrito").fill("150105");
  await page.getByRole("textbox", { name: /^Formación académica/ }).fill("Bachiller en Administración o Psicología");
  await page.getByRole("textbox", { name: /^Experiencia general/ }).fill("Dos años en el sector público o privado");
  await page.getByLabel(/Bases de la convocatoria/).setInputFiles({ name: "bases-evaluacion.pdf", mimeType: "application/pdf", buffer: await smallPdf(`Bases ${codigo}`) });

  // Postulación from yesterday until `cierre`; the later stages from two days after it.
  const ahora = Date.now();
  const etapas: [string, Date, Date][] = [
    ["Publicación", new Date(ahora - 2 * DIA), new Date(ahora - DIA - 3600_000)],
    ["Postulación", new Date(ahora - DIA), cierre],
    ["Evaluación curricular", new Date(cierre.getTime() + 2 * DIA), new Date(cierre.getTime() + 3 * DIA)],
    ["Resultados de la evaluación curricular", new Date(cierre.getTime() + 4 * DIA), new Date(cierre.getTime() + 4 * DIA + 3600_000)],
    ["Entrevista personal", new Date(cierre.getTime() + 5 * DIA), new Date(cierre.getTime() + 6 * DIA)],
    ["Resultado final", new Date(cierre.getTime() + 7 * DIA), new Date(cierre.getTime() + 7 * DIA + 3600_000)],
    ["Suscripción del contrato", new Date(cierre.getTime() + 8 * DIA), new Date(cierre.getTime() + 9 * DIA)],
  ];
  for (const [nombre, inicio, fin] of etapas) {
    const i = lima(inicio);
    const f = lima(fin);
    await page.getByLabel(`${nombre}: fecha de inicio`, { exact: true }).fill(i.fecha);
    await page.getByLabel(`${nombre}: hora de inicio`, { exact: true }).fill(i.hora);
    await page.getByLabel(`${nombre}: fecha de fin`, { exact: true }).fill(f.fecha);
    await page.getByLabel(`${nombre}: hora de fin`, { exact: true }).fill(f.hora);
  }
  await page.getByRole("button", { name: "Guardar borrador" }).click();
  await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Publicar" }).click();
  // The preview: what becomes public and whom it e-mails; nothing is published before the confirmation.
  await expect(page.getByRole("heading", { level: 1, name: "Vista previa de la publicación" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Publicar una convocatoria no envía correos a nadie.");
  await expect(page.getByRole("heading", { level: 2, name: codigo })).toBeVisible();
  await page.getByRole("button", { name: "Confirmar publicación" }).click();
  await expect(page.getByRole("main")).toContainText("Convocatoria publicada");
  await expectAccessible(page);
  return new URL(page.url()).pathname.split("/").at(-1)!;
}

/** From the public page, POSTULAR; uploads the required documents (and the FFAA sustento); finalizes. Returns the N° de postulación. */
async function postular(page: Page, p: Postulante, convocatoriaId: string, codigo: string): Promise<string> {
  await page.goto(`/convocatorias/${convocatoriaId}`);
  await expect(page.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("En postulación");
  await expectAccessible(page);
  await page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
  await expectAccessible(page);

  const tipos = ["DNI", "Ficha Curricular", "Sustentos de formación académica", "Sustentos de experiencia", "Declaraciones Juradas"];
  if (p.ffaa) tipos.push("Sustento de Personal licenciado(a) de las Fuerzas Armadas");
  const select = page.getByLabel("Tipo de documento");
  const tabla = page.getByRole("form", { name: "Documentos cargados" }).getByRole("table");
  for (const [i, tipo] of tipos.entries()) {
    const option = select.locator("option").filter({ hasText: new RegExp(`^${tipo.replace(/[()]/g, "\\$&")} \\(`) });
    await select.selectOption((await option.getAttribute("value"))!);
    await page.getByLabel("Archivo (PDF)").setInputFiles({
      name: `${tipo.toLowerCase().replace(/[^a-z]+/g, "-")}.pdf`,
      mimeType: "application/pdf",
      buffer: await smallPdf(`${tipo} de ${p.nombres} ${p.apellidoPaterno}`),
    });
    await page.getByRole("button", { name: "CARGAR", exact: true }).click();
    await expect(tabla.getByRole("row")).toHaveCount(i + 2); // header + each document
  }
  // Each file's box is named by its type and file name since several files per type (issue 17).
  for (const tipo of tipos) await page.getByRole("checkbox", { name: new RegExp(`^Confirmar ${tipo.replace(/[()]/g, "\\$&")}: `) }).check();
  await page.getByRole("checkbox", { name: /^Declaro haber leído/ }).check();
  await page.getByRole("button", { name: "Guardar y Finalizar Postulación" }).click();
  const dialog = page.getByRole("dialog", { name: "Finalizar Postulación" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("checkbox", { name: "He leído el mensaje y estoy conforme con finalizar mi postulación." }).check();
  await dialog.getByRole("button", { name: "Aceptar" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Postulación Confirmada" })).toBeVisible();
  await expectAccessible(page);
  const numero = (await page.locator("dt", { hasText: "Número de postulación" }).locator("xpath=following-sibling::dd[1]").innerText()).trim();
  expect(numero).toMatch(/^\d{4}-\d+$/);
  return numero;
}

/** An evaluador opens the stage from "Mis evaluaciones" and saves a score and an observación for each postulación. */
async function calificar(page: Page, codigo: string, etapa: string, puntajes: [Postulante, string][]) {
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Secciones de administración" }).getByRole("link", { name: "Mis evaluaciones" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Mis evaluaciones" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("row").filter({ hasText: codigo }).getByRole("link", { name: etapa }).click();
  await expect(page.getByRole("heading", { level: 1, name: `${etapa}: ${codigo}` })).toBeVisible();
  await expect(page.getByRole("main").getByRole("row")).toHaveCount(puntajes.length + 1);
  await expectAccessible(page);
  for (const [p, puntaje] of puntajes) {
    await page.getByLabel(`Puntaje de ${p.numero}`, { exact: true }).fill(puntaje);
    await page.getByLabel(`Observación de ${p.numero}`, { exact: true }).fill(`Calificado según las bases (${etapa.toLowerCase()}).`);
  }
  await page.getByRole("button", { name: "Guardar todos los puntajes de esta página" }).click();
  await expect(page.getByRole("status")).toContainText(`Puntajes guardados (${puntajes.length}).`);
  // Saved as decimals with two places: shown so at once, and after a reload.
  const guardado = (puntaje: string) => Number(puntaje.replace(",", ".")).toFixed(2);
  for (const [p, puntaje] of puntajes) await expect(page.getByLabel(`Puntaje de ${p.numero}`, { exact: true })).toHaveValue(guardado(puntaje));
  await page.reload();
  for (const [p, puntaje] of puntajes) await expect(page.getByLabel(`Puntaje de ${p.numero}`, { exact: true })).toHaveValue(guardado(puntaje));
  await expectAccessible(page);
}

/** The gestor's "Evaluación y resultados" page of the convocatoria. */
async function abrirEvaluacion(page: Page, convocatoriaId: string, codigo: string) {
  await page.goto(`/admin/convocatorias/${convocatoriaId}`);
  await page.getByRole("navigation", { name: "Postulaciones y evaluación" }).getByRole("link", { name: "Evaluación y resultados" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Evaluación: ${codigo}` })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("La postulación sigue abierta");
  await expectAccessible(page);
}

/** On the evaluation page: the stage's row in the Etapas table. */
const filaEtapa = (page: Page, etapa: string) =>
  page.getByRole("region", { name: "Etapas" }).getByRole("row").filter({ has: page.getByRole("rowheader", { name: etapa }) });

async function cerrarYPublicar(page: Page, etapa: string) {
  await filaEtapa(page, etapa).getByRole("button", { name: `Cerrar etapa ${etapa}` }).click();
  await expect(page.getByRole("status")).toContainText("Etapa cerrada.");
  await expect(filaEtapa(page, etapa)).toContainText("Cerrada");
  await expectAccessible(page);
  await filaEtapa(page, etapa).getByRole("button", { name: `Publicar resultados de ${etapa}` }).click();
  await confirmarPublicacion(page, `Resultados de ${etapa}`);
  await expect(page.getByRole("status")).toContainText("Resultados publicados. Los postulantes recibirán un correo.");
  await expect(filaEtapa(page, etapa)).toContainText("Publicada");
  await expectAccessible(page);
}

/** The preview of a results list (issue 14): what becomes public and whom it e-mails; then "Confirmar publicación". */
async function confirmarPublicacion(page: Page, titulo: string) {
  await expect(page.getByRole("heading", { level: 1, name: "Vista previa de la publicación" })).toBeVisible();
  const lista = page.getByRole("region", { name: "Lo que se publicará" });
  await expect(lista.getByRole("heading", { name: titulo })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("se enviará un correo a");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Confirmar publicación" }).click();
}

/** The gestor's view of a stage: each evaluador's score (one column each), the average and APTO / NO APTO. */
async function revisarEtapa(page: Page, etapa: string, filas: [Postulante, Record<string, string>, string, "APTO" | "NO APTO"][]) {
  await filaEtapa(page, etapa).getByRole("link", { name: etapa }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(`^${etapa}:`) })).toBeVisible();
  const headers = (await page.getByRole("main").getByRole("columnheader").allInnerTexts()).map((h) => h.trim());
  expect(headers.slice(0, 3)).toEqual(["Postulación", "Postulante", "Sustento de requisitos"]);
  expect(headers.slice(-2)).toEqual(["Promedio", "Resultado"]);
  expect([...headers.slice(3, -2)].sort()).toEqual(EVALUADORES.map((e) => e.nombre).sort());
  for (const [p, puntajes, promedio, resultado] of filas) {
    const row = page.getByRole("main").getByRole("row").filter({ hasText: p.numero! });
    // These applicants gave no "Sustento de requisitos del perfil" (issue 17).
    await expect(row.getByRole("cell")).toHaveText([p.numero!, nombreLista(p), "No indicado", ...headers.slice(3, -2).map((n) => puntajes[n]!), promedio, resultado]);
  }
  await expectAccessible(page);
  await page.getByRole("link", { name: /^Evaluación de / }).click();
  await expect(page.getByRole("heading", { level: 1, name: /^Evaluación: / })).toBeVisible();
}

/** Scores by evaluador name. */
const por = (jorge: string, lucia: string) => ({ [EVALUADORES[0].nombre]: jorge, [EVALUADORES[1].nombre]: lucia });

test.describe("con JavaScript", () => {
  test("a gestor reviews expedientes, two evaluadores score the stages, a bonificación applies, the results are published on the public page and its PDF, e-mailed, and shown in Mis postulaciones", async ({ page: gestor, browser }) => {
    test.setTimeout(25 * 60_000);
    const run = String(Date.now()).slice(-6);
    const codigo = `CAS N° ${run}-2026-EVAL`;
    const puesto = `Analista de Selección de Personal ${run}`;
    // Scores (máximo 50, mínimo 35 in both default stages) chosen so the bonificación changes the order:
    // Torres 44,50 + 42,50 = 87,00; Cárdenas 40,63 + 41,50 = 82,13, +10 % (8,21) = 90,34; Paredes NO APTO in the first stage.
    const torres = postulante("Ana Lucía", "Torres", "Vílchez", false);
    const cardenas = postulante("Miguel Ángel", "Cárdenas", "Ñique", true);
    const paredes = postulante("Julia", "Paredes", "Soto", false);
    const postulantes = [torres, cardenas, paredes];

    // ---------------------------------------------------------------- preparation
    const paginas = new Map<Postulante, Page>();
    for (const p of postulantes) {
      const page = await newPage(browser);
      await registerApplicant(page, p, true);
      paginas.set(p, page);
    }

    await staffSignIn(gestor, GESTOR.email, GESTOR.password);
    const cierre = new Date(Math.ceil((Date.now() + VENTANA_MS) / 60_000) * 60_000);
    const convocatoriaId = await crearConvocatoria(gestor, codigo, puesto, cierre);

    // ---------------------------------------------------------------- stages and evaluadores
    // While the call is open the gestor prepares its evaluation: the default stages, the two
    // evaluadores for each; no stage can be closed before the window ends.
    await gestor.goto(`/admin/convocatorias/${convocatoriaId}`);
    await expectAccessible(gestor);
    await gestor.getByRole("navigation", { name: "Postulaciones y evaluación" }).getByRole("link", { name: "Evaluación y resultados" }).click();
    await expect(gestor.getByRole("heading", { level: 1, name: `Evaluación: ${codigo}` })).toBeVisible();
    // Nothing that could only be refused is offered: no "Cerrar etapa" while the window is open, the reason instead.
    await expect(filaEtapa(gestor, "Evaluación curricular").getByRole("cell")).toHaveText(["50.00 %", "50.00", "35.00", "Abierta", "0 de 0 calificadas · 0 aptos", /La postulación sigue abierta hasta el/]);
    await expect(filaEtapa(gestor, "Evaluación curricular").getByRole("button", { name: /Cerrar etapa/ })).toHaveCount(0);
    await expect(filaEtapa(gestor, "Entrevista personal")).toContainText("Espera el cierre de la etapa anterior");
    await expect(filaEtapa(gestor, "Entrevista personal").getByRole("button")).toHaveCount(0);
    await expectAccessible(gestor);
    for (const etapa of ["Evaluación curricular", "Entrevista personal"]) {
      const form = gestor.locator("form").filter({ has: gestor.getByRole("button", { name: `Guardar evaluadores de ${etapa}` }) });
      for (const e of EVALUADORES) await form.getByRole("checkbox", { name: `${e.nombre} (Evaluador)` }).check();
      await form.getByRole("button", { name: `Guardar evaluadores de ${etapa}` }).click();
      await expect(gestor.getByRole("status")).toContainText("Evaluadores asignados.");
    }
    await expectAccessible(gestor);
    // The page says until when the window is open; closing the stage is not offered until then.
    await expect(gestor.getByRole("main")).toContainText("La postulación sigue abierta hasta el");
    await expect(filaEtapa(gestor, "Evaluación curricular").getByRole("button", { name: "Cerrar etapa Evaluación curricular" })).toHaveCount(0);
    await expect(filaEtapa(gestor, "Evaluación curricular")).toContainText("Abierta");
    await expectAccessible(gestor);

    // ---------------------------------------------------------------- the applicants postulate
    for (const p of postulantes) p.numero = await postular(paginas.get(p)!, p, convocatoriaId, codigo);

    // ---------------------------------------------------------------- the gestor reviews the expedientes
    await gestor.getByRole("main").getByRole("link", { name: "Postulaciones", exact: true }).click();
    await expect(gestor.getByRole("heading", { level: 1, name: `Postulaciones: ${codigo}` })).toBeVisible();
    const conteo = gestor.getByRole("list", { name: "Conteo por estado" });
    await expect(conteo).toContainText("Registradas: 3");
    await expect(conteo).toContainText("Por calificar: 3");
    await expect(gestor.getByRole("main").getByRole("row")).toHaveCount(4);
    await expectAccessible(gestor);

    await gestor.getByLabel("Buscar por nombre, documento o número de postulación").fill("cardenas");
    await gestor.getByRole("button", { name: "Filtrar" }).click();
    await expect(gestor.getByRole("status")).toHaveText("1 postulación encontrada.");
    await expectAccessible(gestor);
    await gestor.getByRole("main").getByRole("link", { name: cardenas.numero! }).click();
    await expect(gestor.getByRole("heading", { level: 1, name: `Expediente ${cardenas.numero}` })).toBeVisible();
    const datos = gestor.getByRole("region", { name: "Datos del postulante" });
    await expect(datos).toContainText(`${cardenas.nombres} ${cardenas.apellidoPaterno}`);
    await expect(datos).toContainText(cardenas.numeroDocumento);
    await expect(datos).toContainText(cardenas.email);
    const documentos = gestor.getByRole("region", { name: "Documentos" });
    await expect(documentos.getByRole("row")).toHaveCount(7);
    await expect(documentos).toContainText("Sustento de Personal licenciado(a) de las Fuerzas Armadas");
    await expectAccessible(gestor);
    // Each document can be viewed.
    for (const link of await documentos.getByRole("table").getByRole("link").all()) {
      const file = await fetchLinked(gestor, link);
      expect(file.status).toBe(200);
      expect(file.type).toContain("application/pdf");
      expect(file.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
    // The ficha (built when first asked for: these applicants never opened it) and the constancia.
    for (const link of [documentos.getByRole("link", { name: "Ficha de Postulación (PDF)" }), documentos.getByRole("link", { name: "Constancia (PDF)" })]) {
      const file = await fetchLinked(gestor, link);
      expect(file.status).toBe(200);
      const text = await pdfText(file.body);
      expect(text).toContain(cardenas.numero!);
    }
    await expect(gestor.getByRole("region", { name: "Historial" })).not.toBeEmpty();

    // ---------------------------------------------------------------- the window closes
    // Meanwhile the evaluadores sign in.
    const [jorge, lucia] = [await newPage(browser), await newPage(browser)];
    await staffSignIn(jorge, EVALUADORES[0].email, EVALUADORES[0].password);
    await staffSignIn(lucia, EVALUADORES[1].email, EVALUADORES[1].password);
    const espera = cierre.getTime() - Date.now();
    if (espera > 0) await gestor.waitForTimeout(espera + 1500);
    await gestor.goto(`/convocatorias/${convocatoriaId}`);
    await expect(gestor.getByRole("main").locator(".badge").first()).toHaveText("En evaluación");
    await expect(gestor.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` })).toHaveCount(0);
    await expectAccessible(gestor);

    // ---------------------------------------------------------------- evaluación curricular: two evaluadores
    await calificar(jorge, codigo, "Evaluación curricular", [[torres, "44"], [cardenas, "40,5"], [paredes, "30"]]);
    await calificar(lucia, codigo, "Evaluación curricular", [[torres, "45"], [cardenas, "40.75"], [paredes, "33"]]);

    await abrirEvaluacion(gestor, convocatoriaId, codigo);
    await expect(filaEtapa(gestor, "Evaluación curricular")).toContainText("3 de 3 calificadas · 2 aptos");
    // The stage's score is the evaluadores' average, rounded half up: (40,50 + 40,75) / 2 = 40,625 → 40,63.
    await revisarEtapa(gestor, "Evaluación curricular", [
      [torres, por("44.00", "45.00"), "44.50", "APTO"],
      [cardenas, por("40.50", "40.75"), "40.63", "APTO"],
      [paredes, por("30.00", "33.00"), "31.50", "NO APTO"],
    ]);
    await cerrarYPublicar(gestor, "Evaluación curricular");

    // ---------------------------------------------------------------- entrevista personal: only those who passed
    await calificar(jorge, codigo, "Entrevista personal", [[torres, "42"], [cardenas, "41"]]);
    await calificar(lucia, codigo, "Entrevista personal", [[torres, "43"], [cardenas, "42"]]);
    await abrirEvaluacion(gestor, convocatoriaId, codigo);
    await revisarEtapa(gestor, "Entrevista personal", [
      [torres, por("42.00", "43.00"), "42.50", "APTO"],
      [cardenas, por("41.00", "42.00"), "41.50", "APTO"],
    ]);
    await cerrarYPublicar(gestor, "Entrevista personal");

    // ---------------------------------------------------------------- bonificación and final result
    const merito = gestor.getByRole("table", { name: "Orden de mérito (vista previa)" });
    const filaMerito = (p: Postulante) => merito.getByRole("row").filter({ hasText: p.numero! });
    // Before the sustento is validated: base scores only, Torres first.
    await expect(filaMerito(torres).getByRole("cell")).toHaveText(["1", torres.numero!, nombreLista(torres), "87.00", "—", "87.00", "GANADOR"]);
    await expect(filaMerito(cardenas).getByRole("cell")).toHaveText(["2", cardenas.numero!, nombreLista(cardenas), "82.13", "—", "82.13", "ACCESITARIO"]);
    await expect(merito).not.toContainText(paredes.numero!);

    const bono = gestor.getByRole("region", { name: "Bonificaciones" }).getByRole("row").filter({ hasText: cardenas.numero! });
    await expect(bono).toContainText("Licenciado(a) de las Fuerzas Armadas (10 %)");
    await bono.getByLabel("Observación").fill("Constancia de licenciamiento verificada.");
    await bono.getByRole("button", { name: "Validar" }).click();
    await expect(gestor.getByRole("status")).toContainText("Bonificación registrada.");
    await expect(bono).toContainText("Validada · Constancia de licenciamiento verificada.");
    // Final = base + base × 10 % = 82,13 + 8,21 = 90,34: the bonificación puts Cárdenas first.
    await expect(filaMerito(cardenas).getByRole("cell")).toHaveText(["1", cardenas.numero!, nombreLista(cardenas), "82.13", "10 % (8.21)", "90.34", "GANADOR"]);
    await expect(filaMerito(torres).getByRole("cell")).toHaveText(["2", torres.numero!, nombreLista(torres), "87.00", "—", "87.00", "ACCESITARIO"]);
    await expectAccessible(gestor);

    await gestor.getByRole("button", { name: "Publicar resultado final" }).click();
    // The preview shows the final list exactly as the public will read it, then the confirmation.
    const previa = gestor.getByRole("region", { name: "Lo que se publicará" });
    await expect(previa.getByRole("row").filter({ hasText: nombreLista(cardenas) }).getByRole("cell")).toHaveText(["1", nombreLista(cardenas), "40.63", "41.50", "10 %", "90.34", "GANADOR"]);
    await confirmarPublicacion(gestor, "Resultado final");
    await expect(gestor.getByRole("status")).toContainText("Resultados publicados. Los postulantes recibirán un correo.");
    const publicaciones = gestor.getByRole("region", { name: "Publicaciones" });
    await expect(publicaciones.getByRole("listitem")).toHaveCount(3);
    await expect(publicaciones).toContainText("Resultado final · versión 1");
    await expectAccessible(gestor);

    await gestor.getByRole("link", { name: "Postulaciones", exact: true }).click();
    const conteoFinal = gestor.getByRole("list", { name: "Conteo por estado" });
    await expect(conteoFinal).toContainText("Ganadores: 1");
    await expect(conteoFinal).toContainText("Accesitarios: 1");
    await expect(conteoFinal).toContainText("No aptos: 1");
    await expectAccessible(gestor);

    // ---------------------------------------------------------------- the public page and its PDF
    const visitante = await newPage(browser);
    await visitante.goto("/convocatorias");
    await visitante.getByLabel("Buscar por código, puesto o unidad orgánica").fill(`seleccion de personal ${run}`);
    await visitante.getByRole("button", { name: "Buscar" }).click();
    await expectAccessible(visitante);
    await visitante.getByRole("article", { name: codigo }).getByRole("link", { name: `Ver detalle de ${codigo}` }).click();
    await expect(visitante.getByRole("heading", { level: 1, name: codigo })).toBeVisible();
    const resultados = visitante.getByRole("region", { name: "Resultados" });
    const final = resultados.locator(".panel").filter({ has: visitante.getByRole("heading", { name: "Resultado final", exact: true }) });
    await expect(final.getByRole("columnheader")).toHaveText(["N°", "Postulante", "Evaluación curricular", "Entrevista personal", "Bonificación", "Puntaje final", "Resultado"]);
    const filaFinal = (p: Postulante) => final.getByRole("row").filter({ hasText: nombreLista(p) }).getByRole("cell");
    await expect(filaFinal(cardenas)).toHaveText(["1", nombreLista(cardenas), "40.63", "41.50", "10 %", "90.34", "GANADOR"]);
    await expect(filaFinal(torres)).toHaveText(["2", nombreLista(torres), "44.50", "42.50", "—", "87.00", "ACCESITARIO"]);
    // A NO APTO of the final list says at which stage.
    await expect(filaFinal(paredes)).toHaveText(["—", nombreLista(paredes), "31.50", "—", "—", "—", "NO APTO (Evaluación curricular)"]);
    const curricular = resultados.locator(".panel").filter({ has: visitante.getByRole("heading", { name: "Resultados de Evaluación curricular" }) });
    await expect(curricular.getByRole("row").filter({ hasText: nombreLista(paredes) }).getByRole("cell")).toHaveText(["3", nombreLista(paredes), "31.50", "NO APTO"]);
    await expect(resultados.getByRole("heading", { name: "Resultados de Entrevista personal" })).toBeVisible();
    await expectAccessible(visitante);

    const pdf = await fetchLinked(visitante, final.getByRole("link", { name: "Descargar PDF de Resultado final" }));
    expect(pdf.status).toBe(200);
    expect(pdf.type).toBe("application/pdf");
    expect(pdf.body.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const texto = await pdfText(pdf.body);
    expect(texto).toContain(`Resultado final — ${codigo}`);
    for (const [p, puntaje, resultado] of [[cardenas, "90.34", "GANADOR"], [torres, "87.00", "ACCESITARIO"], [paredes, "NO APTO", "NO APTO"]] as const) {
      expect(texto).toContain(nombreLista(p));
      expect(texto).toContain(puntaje);
      expect(texto).toContain(resultado);
    }
    expect(texto).toContain("10 %");

    // ---------------------------------------------------------------- the e-mails and Mis postulaciones
    const mailFinal = await waitForMail(cardenas.email, /^Resultado final — /, 30_000);
    expect(mailFinal.subject).toBe(`Resultado final — ${codigo}`);
    expect(mailFinal.text).toContain(`Postulación N° ${cardenas.numero}: GANADOR — puntaje 90.34.`);
    expect((await waitForMail(torres.email, /^Resultado final — /, 30_000)).text).toContain(`Postulación N° ${torres.numero}: ACCESITARIO — puntaje 87.00.`);
    const mailParedes = await waitForMail(paredes.email, /^Resultados de Evaluación curricular — /, 30_000);
    expect(mailParedes.text).toContain(`Postulación N° ${paredes.numero}: NO APTO — puntaje 31.50.`);
    expect(mailParedes.text).toContain(`/convocatorias/${convocatoriaId}`);

    // Cárdenas signs in afresh and sees the result in Mis postulaciones.
    const miguel = await newPage(browser);
    await miguel.goto("/login");
    await signIn(miguel, "DNI", cardenas.numeroDocumento, cardenas.password);
    await miguel.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Mis postulaciones" }).click();
    await expect(miguel.getByRole("heading", { level: 1, name: "Mis postulaciones" })).toBeVisible();
    const fila = miguel.getByRole("row").filter({ hasText: codigo });
    await expect(fila).toContainText("Resultado final: GANADOR (90.34)");
    await expect(fila).toContainText(cardenas.numero!);
    await expectAccessible(miguel);
    // The link leads to his own results (issue 17): each stage, the bonificación with its law, the final score.
    await fila.getByRole("link", { name: "Resultado final" }).click();
    await expect(miguel.getByRole("heading", { level: 1, name: "Mis resultados" })).toBeVisible();
    const propio = miguel.getByRole("region", { name: "Resultado final" });
    await expect(propio).toContainText("Personal licenciado(a) de las Fuerzas Armadas: 10 % (Ley N.° 29248");
    await expect(propio).toContainText("90.34");
    await expect(propio).toContainText("GANADOR");
    await expect(miguel.getByRole("region", { name: "Entrevista personal" })).toContainText("41.50 de 50.00");
    await expectAccessible(miguel);
    // And from there to the public lists.
    await miguel.getByRole("link", { name: "Ver las listas publicadas de la convocatoria" }).click();
    await expect(miguel.getByRole("region", { name: "Resultados" })).toBeVisible();
    await expectAccessible(miguel);

    // Paredes, already signed in, sees NO APTO.
    const julia = paginas.get(paredes)!;
    await julia.goto("/mis-postulaciones");
    await expect(julia.getByRole("row").filter({ hasText: codigo })).toContainText("Resultado final: NO APTO");
    await expectAccessible(julia);
  });
});
