import type { Page } from "@playwright/test";
import { E2E } from "./support/env";
import { expect, phoneProblems, press, signIn, signOut, staffSignIn, test } from "./support/fixtures";

// Issue 12, item 2 ("Phone first"): every route, public, applicant and staff, on a phone
// (the phone projects of playwright.config.ts, 360 × 740 first): nothing scrolls sideways, no
// target under 24 × 24 CSS px (WCAG 2.2, 2.5.8, with its spacing and inline exceptions) and no
// axe violation. Ids are found on the pages (the demo data of docs/demo.md), as a person would.

/** Ana Cecilia Gutiérrez Rojas: registrada in the open convocatoria, ACCESITARIO of the concluida (docs/demo.md). */
const ANA = { tipo: "DNI", numero: "71348902", password: "Postula2026" };
/** Percy Raúl Espinoza Mendoza: a draft ("En registro") with documents in the open convocatoria. */
const PERCY = { tipo: "DNI", numero: "41576309", password: "Postula2026" };

/** Every page's problems, reported together at the end of each test (one run lists them all). */
let problems: string[] = [];
test.beforeEach(() => {
  problems = [];
});
test.afterEach(() => {
  expect(problems).toEqual([]);
});

/** Checks the page as it is now fits the phone; what does not is kept in `problems`. */
async function check(page: Page) {
  for (const p of await phoneProblems(page)) problems.push(`${new URL(page.url()).pathname}: ${p}`);
}

/** Opens `path` (expecting `status`) and checks it fits the phone. */
async function visit(page: Page, path: string, status = 200) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBe(status);
  await check(page);
}

/** The first `href` on the page (in main) matching `pattern`. */
async function firstHref(page: Page, pattern: RegExp): Promise<string> {
  const hrefs = await page.getByRole("main").locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  const href = hrefs.find((h) => pattern.test(h));
  expect(href, `a link like ${pattern} on ${page.url()}`).toBeTruthy();
  return href!;
}

test.describe.configure({ timeout: 300_000 });

test("the public pages fit a phone", async ({ page }) => {
  for (const path of ["/", "/convocatorias", "/convocatorias?estado=concluidas", "/declaraciones-juradas", "/login", "/registro", "/recuperar-contrasena", "/privacidad", "/admin/login", "/alertas/nueva?q=abogado&estado=en_postulacion"]) {
    await visit(page, path);
  }
  await visit(page, "/ruta-que-no-existe", 404);
  // The detail of an open convocatoria (its cronograma table) and of the concluida (its published results).
  await page.goto("/convocatorias?estado=en_postulacion");
  await visit(page, await firstHref(page, /^\/convocatorias\/[^/]+$/));
  await page.goto("/convocatorias?estado=concluidas");
  const concluidas = await page.getByRole("main").locator("a[href]").evaluateAll((as) =>
    as.map((a) => a.getAttribute("href") ?? "").filter((h) => /^\/convocatorias\/[^/]+$/.test(h)),
  );
  let resultados = 0;
  for (const href of new Set(concluidas)) {
    await page.goto(href);
    if ((await page.locator(".resultados table").count()) === 0) continue;
    await check(page);
    resultados++;
  }
  expect(resultados, "a concluida with published results").toBeGreaterThan(0);
  // The second step of "Crear nuevo usuario".
  await page.goto("/registro");
  await page.getByLabel("Número de documento").fill("12345678");
  await press(page.getByRole("button", { name: "Siguiente" }));
  await expect(page.getByRole("heading", { level: 1, name: "Registrar Datos de Usuario" })).toBeVisible();
  await check(page);
});

test("the applicant's pages fit a phone", async ({ page }) => {
  await signIn(page, ANA.tipo, ANA.numero, ANA.password);
  // Mis documentos (issue 17) lists her files in cards at this width; Mis postulaciones last (the next step reads a link from it).
  for (const path of ["/mi-perfil", "/mis-documentos", "/alertas", "/alertas/nueva?departamento=15", "/mis-postulaciones"]) await visit(page, path);
  const registrada = await firstHref(page, /^\/postulacion\/[^/]+$/);
  await visit(page, registrada);
  await visit(page, `${registrada}/confirmada`);
  await page.goto("/mis-postulaciones");
  // Her own results (issue 17), then the lists they link to.
  await visit(page, await firstHref(page, /^\/mis-postulaciones\/[^/]+\/resultados$/));
  await expect(page.getByRole("heading", { level: 1, name: "Mis resultados" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Puntaje mínimo para pasar");
  await visit(page, await firstHref(page, /^\/convocatorias\/[^/]+#resultados$/));
  await signOut(page);

  await signIn(page, PERCY.tipo, PERCY.numero, PERCY.password);
  await page.goto("/mis-postulaciones");
  const borrador = await firstHref(page, /^\/postulacion\/[^/]+$/);
  await visit(page, borrador);
  await expect(page.getByRole("button", { name: /^Eliminar / }).first()).toBeVisible();
  // The confirmation message as a page of its own (the flow without JavaScript).
  await visit(page, `${borrador}/finalizar`);
  await expect(page.getByRole("heading", { level: 1, name: "Finalizar Postulación" })).toBeVisible();
});

test("the staff pages fit a phone", async ({ page }) => {
  await staffSignIn(page, E2E.admin.email, E2E.admin.password);
  for (const path of ["/admin", "/admin/convocatorias", "/admin/convocatorias/nueva", "/admin/evaluacion", "/admin/declaraciones-juradas", "/admin/tipos-documento", "/admin/tipos-documento/FICHA_CURRICULAR", "/admin/personal", "/admin/entidad", "/admin/mfa", "/admin/auditoria"]) {
    await visit(page, path);
  }

  // The first convocatoria of the list, and the concluida (its postulaciones, evaluación and stages filled by the demo).
  await page.goto("/admin/convocatorias");
  const primera = await firstHref(page, /^\/admin\/convocatorias\/[0-9a-f-]{36}$/);
  await page.goto("/convocatorias?estado=concluidas");
  const concluida = `/admin${await firstHref(page, /^\/convocatorias\/[0-9a-f-]{36}$/)}`;
  let postulacion: string | undefined;
  let etapa: string | undefined;
  for (const href of [primera, concluida]) {
    await visit(page, href);
    await visit(page, `${href}/evaluacion`);
    const etapas = page.getByRole("main").locator("a[href^='/admin/evaluacion/etapas/']");
    if (!etapa && (await etapas.count())) etapa = (await etapas.first().getAttribute("href")) ?? undefined;
    await visit(page, `${href}/postulaciones`);
    const links = page.getByRole("main").locator("a[href^='/admin/postulaciones/']");
    if (!postulacion && (await links.count())) postulacion = (await links.first().getAttribute("href")) ?? undefined;
  }
  expect(postulacion, "a postulación of the concluida").toBeTruthy();
  await visit(page, postulacion!);
  expect(etapa, "an evaluation stage of the concluida").toBeTruthy();
  await visit(page, etapa!);
  // The fichas ZIP (issue 14): its page, and the status page of one being prepared, then ready.
  await visit(page, `${concluida}/postulaciones/fichas`);
  await page.getByRole("button", { name: "Preparar ZIP de fichas" }).click();
  await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
  await check(page);
  await expect(page.getByRole("link", { name: /^Descargar ZIP/ })).toBeVisible({ timeout: 120_000 });
  await check(page);
});

test("the evaluador's scoring page fits a phone, and a refused score names its postulación at the field and in the summary", async ({ page }) => {
  // Lucía Mendoza (docs/demo.md): the open evaluación curricular of the demo's process en evaluación, scores still missing.
  await staffSignIn(page, "evaluadora2@cas.demo", "Personal-2026!");
  await visit(page, "/admin/evaluacion");
  const etapas = await page.getByRole("main").locator("a[href^='/admin/evaluacion/etapas/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  let abierta: string | undefined;
  for (const href of etapas) {
    await page.goto(href);
    if (await page.getByRole("button", { name: "Guardar todos los puntajes de esta página" }).count()) {
      abierta = href;
      break;
    }
  }
  expect(abierta, "an open stage of evaluadora2").toBeTruthy();
  await check(page);
  const puntaje = page.getByRole("textbox", { name: /^Puntaje de / }).first();
  const numero = (await page.locator(`label[for="${await puntaje.getAttribute("id")}"]`).innerText()).replace(/^Puntaje de /, "").trim();
  await expect(puntaje).toHaveAttribute("inputmode", "decimal");
  await expect(page.getByRole("textbox", { name: /^Observación de / }).first()).toHaveAttribute("rows", "3");
  await puntaje.fill("99");
  await press(page.getByRole("button", { name: "Guardar todos los puntajes de esta página" }));
  const mensaje = new RegExp(`El puntaje de la postulación ${numero} \\(.+\\) debe estar entre 0 y`);
  await expect(page.getByRole("alert")).toContainText(mensaje);
  await expect(page.getByRole("textbox", { name: /^Puntaje de / }).first()).toHaveAccessibleDescription(mensaje);
  await check(page);
});
