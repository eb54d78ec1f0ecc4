import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { E2E } from "./env";

/** Contexts opened with JavaScript off (axe cannot run inside them: see expectAccessible). */
const noScriptContexts = new WeakSet<BrowserContext>();

/** Playwright's test, remembering which contexts run with JavaScript off. Specs import it from here. */
export const test = base.extend({
  context: async ({ context, javaScriptEnabled }, use) => {
    if (javaScriptEnabled === false) noScriptContexts.add(context);
    await use(context);
  },
});
export { expect };

/**
 * Every page passes axe (WCAG 2.1 A and AA rules) with no violations. With JavaScript off axe
 * cannot run in the page, so the page's DOM as served (scripts removed, so nothing hydrates) is
 * loaded at the same address in a scripted context, with the app's real stylesheets.
 */
export async function expectAccessible(page: Page) {
  expect(await accessibilityProblems(page), `axe on ${page.url()}`).toEqual([]);
}

/**
 * What axe finds on the page as it is now; on a phone also WCAG 2.2 AA's target size (2.5.8:
 * 24 × 24 CSS px unless spaced apart or inline in text) and any sideways scroll (issue 12).
 */
async function accessibilityProblems(page: Page): Promise<string[]> {
  const phone = isPhone();
  const copy = noScriptContexts.has(page.context()) ? await scriptlessCopy(page) : null;
  try {
    const checked = copy ?? page;
    const tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", ...(phone ? ["wcag22aa"] : [])];
    const results = await new AxeBuilder({ page: checked }).withTags(tags).analyze();
    const problems = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    if (phone) {
      const phoneWidth = checked.viewportSize()!.width;
      const { scrollWidth, innerWidth, inner, beyond } = await checked.evaluate((phoneWidth) => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        // The innermost elements reaching past the phone's width: what to fix.
        beyond: [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().left + e.scrollWidth > phoneWidth + 1 && getComputedStyle(e).overflowX === "visible")
          .reverse()
          .slice(0, 3)
          .map((e) => `${e.tagName.toLowerCase()} "${(e.textContent ?? "").trim().slice(0, 30)}"`),
        // A region scrolling sideways inside the page hides its columns just the same (a table must stack).
        inner: [...document.querySelectorAll("body *")]
          .filter((e) => ["auto", "scroll"].includes(getComputedStyle(e).overflowX) && e.scrollWidth > e.clientWidth + 1)
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? `.${String(e.className).split(" ").join(".")}` : ""} (${e.scrollWidth} px in ${e.clientWidth} px)`),
      }), phoneWidth);
      // A mobile browser zooms out to show a too-wide page (innerWidth grows with it): the phone's width is the measure.
      const width = Math.min(innerWidth, phoneWidth);
      if (scrollWidth > width) problems.push(`sideways scroll: ${scrollWidth} px of content in ${width} px (${beyond.join(", ")})`);
      for (const region of inner) problems.push(`sideways scroll inside ${region}`);
    }
    return problems;
  } finally {
    await copy?.context().close();
  }
}

/** Activates a control as a person does: a tap on a phone (touch events), a click elsewhere; never forced. */
export async function press(target: Locator) {
  if (isPhone()) await target.tap();
  else await target.click();
}

/** Whether the running project is a phone (the phone projects of playwright.config.ts). */
export function isPhone(): boolean {
  return test.info().project.use.isMobile === true;
}

/** The route-visit test's list (issue 12): what does not fit a phone on the page as it is now. */
export async function phoneProblems(page: Page): Promise<string[]> {
  expect(isPhone(), "run in a phone project").toBe(true);
  expect(page.viewportSize()?.width).toBeLessThanOrEqual(400);
  return accessibilityProblems(page);
}

async function scriptlessCopy(page: Page): Promise<Page> {
  const html = (await page.content())
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, "")
    .replace(/<link\b[^>]*rel="modulepreload"[^>]*>/gi, "");
  const url = page.url();
  // The copy has the page's viewport (a phone's, in the phone projects), so axe sees the same layout.
  const { isMobile, hasTouch, deviceScaleFactor } = test.info().project.use;
  const context = await page.context().browser()!.newContext({
    javaScriptEnabled: true, locale: "es-PE", viewport: page.viewportSize(), isMobile, hasTouch, deviceScaleFactor,
  });
  const copy = await context.newPage();
  await copy.route((u) => u.href === url, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html }));
  await copy.goto(url);
  return copy;
}

export type SunkMail = { to: string[]; subject: string; text: string; html: string | null; attachments: { filename: string }[] };

/** Waits for the newest message to `to` whose subject matches, from the loopback SMTP sink. */
export async function waitForMail(to: string, subject: RegExp, timeoutMs = 15_000): Promise<SunkMail> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const files = readdirSync(E2E.mailDir).sort().reverse();
    for (const file of files) {
      const mail = JSON.parse(readFileSync(path.join(E2E.mailDir, file), "utf8")) as SunkMail;
      if (mail.to.includes(to) && subject.test(mail.subject)) return mail;
    }
    if (Date.now() > until) throw new Error(`no mail to ${to} matching ${subject}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The first http(s) link in a text. */
export function linkIn(text: string): string {
  const m = text.match(/https?:\/\/\S+/);
  if (!m) throw new Error("no link in mail");
  return m[0];
}

/** A fresh document number, so runs never collide (8 digits for DNI). */
export function uniqueDni(): string {
  return String(10_000_000 + Math.floor(Math.random() * 89_999_999));
}

/** A unique carnet de extranjería number (9 digits, as Migraciones issues them today). */
export function uniqueCarnet(): string {
  return String(100_000_000 + Math.floor(Math.random() * 899_999_999));
}

/** A unique e-mail address for one journey. */
export function uniqueEmail(who: string): string {
  return `${who}.${Date.now()}.${Math.floor(Math.random() * 1e6)}@cas.test`;
}

export type Applicant = {
  nacionalidad: string;
  tipoDocumento: "DNI" | "Carnet de extranjería";
  numeroDocumento: string;
  nombres: string;
  apellidoPaterno: string;
  apellidoMaterno: string;
  fechaNacimiento: string;
  sexo: "Femenino" | "Masculino";
  email: string;
  celular: string;
  direccion: string;
  ubigeo: { departamento: string; provincia: string; distrito: string };
  password: string;
};

/** The ubigeo selects by their labels; without JavaScript each level is filled by the secondary button. */
export async function chooseUbigeo(page: Page, ubigeo: Applicant["ubigeo"], js: boolean) {
  const refresh = page.getByRole("button", { name: "Actualizar provincias y distritos" });
  if (js) await expect(refresh).toHaveCount(0); // hydrated: the cascade runs in the page
  await page.getByLabel("Departamento", { exact: true }).selectOption({ label: ubigeo.departamento });
  if (!js) {
    await press(refresh);
    await expect(page.getByLabel("Departamento", { exact: true })).toHaveValue(/^\d{2}$/);
  }
  await page.getByLabel("Provincia", { exact: true }).selectOption({ label: ubigeo.provincia });
  if (!js) await press(refresh);
  await page.getByLabel("Distrito", { exact: true }).selectOption({ label: ubigeo.distrito });
}

/**
 * "Crear nuevo usuario" from the home page, both steps, with the seed's labels; checks axe on
 * each page; ends on "Revise su correo", then signs in with the document and password.
 */
export async function registerApplicant(page: Page, a: Applicant, js: boolean) {
  await page.goto("/");
  await expectAccessible(page);
  await press(page.getByRole("link", { name: "Crear nuevo usuario" }).first());
  await expect(page.getByRole("heading", { level: 1, name: "Crear nuevo usuario" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Nacionalidad").selectOption({ label: a.nacionalidad });
  await page.getByLabel("Tipo de documento").selectOption({ label: a.tipoDocumento });
  await page.getByLabel("Número de documento").fill(a.numeroDocumento);
  await press(page.getByRole("button", { name: "Siguiente" }));

  await expect(page.getByRole("heading", { level: 1, name: "Registrar Datos de Usuario" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Nombres", { exact: true }).fill(a.nombres);
  await page.getByLabel("Apellido paterno").fill(a.apellidoPaterno);
  await page.getByLabel("Apellido materno").fill(a.apellidoMaterno);
  await page.getByLabel("Fecha de nacimiento").fill(a.fechaNacimiento);
  await page.getByRole("radio", { name: a.sexo }).check();
  await page.getByLabel("Correo electrónico", { exact: true }).fill(a.email);
  await page.getByLabel("Confirmar correo electrónico").fill(a.email);
  await page.getByLabel("Celular").fill(a.celular);
  await page.getByLabel("Dirección").fill(a.direccion);
  await chooseUbigeo(page, a.ubigeo, js);
  // After a no-JS refresh the form comes back with what was typed (passwords aside): check, then finish.
  await expect(page.getByLabel("Nombres", { exact: true })).toHaveValue(a.nombres);
  await page.getByLabel("Contraseña", { exact: true }).fill(a.password);
  await page.getByLabel("Confirmar contraseña").fill(a.password);
  await page.getByRole("checkbox", { name: /Acepto el tratamiento de mis datos personales/ }).check();
  await press(page.getByRole("button", { name: "Registrar" }));

  // The same page whether the data were new or not (issue 11): nobody is signed in by it.
  await expect(page.getByRole("heading", { level: 1, name: "Revise su correo" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("main").getByRole("link", { name: "Ingresar" }).click();
  await signIn(page, a.tipoDocumento, a.numeroDocumento, a.password);
}

/** Opens the e-mailed verification link (from the SMTP sink) and confirms it. */
export async function verifyEmailFromMail(page: Page, email: string) {
  const mail = await waitForMail(email, /Verifique su correo/);
  await page.goto(linkIn(mail.text));
  await expect(page.getByRole("heading", { level: 1, name: "Verificar correo electrónico" })).toBeVisible();
  await expectAccessible(page);
  await press(page.getByRole("button", { name: "Verificar mi correo" }));
  await expect(page.getByRole("heading", { level: 1, name: "Correo verificado" })).toBeVisible();
  await expectAccessible(page);
}

/** "Salir" in the navigation; afterwards the navigation offers "Ingresar" again. */
export async function signOut(page: Page) {
  await press(page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" }));
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("link", { name: "Ingresar" })).toBeVisible();
}

/** Signs in at /login with document type, number and password; lands on the page asked for. */
export async function signIn(page: Page, tipoDocumento: string, numeroDocumento: string, password: string) {
  if (!new URL(page.url()).pathname.startsWith("/login")) await page.goto("/login");
  await expect(page.getByRole("heading", { level: 1, name: "Ingresar" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Tipo de documento").selectOption({ label: tipoDocumento });
  await page.getByLabel("Número de documento").fill(numeroDocumento);
  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await press(page.getByRole("main").getByRole("button", { name: "Ingresar" }));
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" })).toBeVisible();
}

// ------------------------------------------------------------------ staff

/** TOTP secrets read from enrolment pages, per staff e-mail, in a file (a failed test restarts the worker). */
const totpSecrets = {
  read: (): Record<string, string> => (existsSync(E2E.totpFile) ? JSON.parse(readFileSync(E2E.totpFile, "utf8")) : {}),
  get: (email: string): string | undefined => totpSecrets.read()[email],
  set: (email: string, secret: string) => writeFileSync(E2E.totpFile, JSON.stringify({ ...totpSecrets.read(), [email]: secret })),
};
const lastTotpCounter = new Map<string, number>();

/** A TOTP code for a secret, never one already used in this run (a code is accepted once). */
async function freshTotpCode(secret: string): Promise<string> {
  const { TOTP, Secret } = await import("otpauth");
  const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: "SHA1" });
  for (;;) {
    const counter = Math.floor(Date.now() / 30_000);
    if (lastTotpCounter.get(secret) !== counter) {
      lastTotpCounter.set(secret, counter);
      return totp.generate();
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/**
 * Staff sign in at /admin/login with e-mail and password. When the role needs a second factor
 * (administrador, gestor), the first time the enrolment page ("Activar la verificación en dos
 * pasos") shows the secret: it is read from the page and kept, and codes are computed with
 * otpauth as an authenticator app would; later sign-ins answer "Verificación en dos pasos".
 */
export async function staffSignIn(page: Page, email: string, password: string) {
  await page.goto("/admin/login");
  await expect(page.getByRole("heading", { level: 1, name: "Ingreso del personal" })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Correo electrónico").fill(email);
  await page.getByLabel("Contraseña", { exact: true }).fill(password);
  await press(page.getByRole("main").getByRole("button", { name: "Ingresar" }));

  const enrol = page.getByRole("heading", { level: 1, name: "Activar la verificación en dos pasos" });
  const verify = page.getByRole("heading", { level: 1, name: "Verificación en dos pasos" });
  const admin = page.getByRole("heading", { level: 1, name: "Administración" });
  await expect(enrol.or(verify).or(admin)).toBeVisible({ timeout: 15_000 });
  if (await enrol.isVisible()) {
    await expectAccessible(page);
    const secret = (await page.getByRole("main").locator("code").first().innerText()).replace(/\s+/g, "");
    totpSecrets.set(email, secret);
    await page.getByLabel("Código de 6 dígitos").fill(await freshTotpCode(secret));
    await press(page.getByRole("button", { name: "Activar" }));
    await expect(page.getByRole("heading", { level: 1, name: "Verificación en dos pasos activada" })).toBeVisible();
    await expectAccessible(page);
    await press(page.getByRole("link", { name: "Continuar" }));
  } else if (await verify.isVisible()) {
    await expectAccessible(page);
    const secret = totpSecrets.get(email);
    if (!secret) throw new Error(`second factor asked for ${email}, but its secret was never shown in this run`);
    await page.getByLabel("Código", { exact: true }).fill(await freshTotpCode(secret));
    await press(page.getByRole("button", { name: "Verificar" }));
  }
  await expect(page.getByRole("navigation", { name: "Principal" }).getByRole("button", { name: "Salir" })).toBeVisible();
}

/** A PDF of `pages` small pages, each saying its title and number ("Certificado uno, página 2"). */
export async function pdfDePaginas(titulo: string, pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([420, 595]).drawText(`${titulo}, página ${i}`, { x: 30, y: 530, size: 12, font });
  return Buffer.from(await doc.save());
}

/** The n-th open convocatoria of the demo data, from its card to "POSTULAR": the Postulación page. */
export async function postularDemo(page: Page, n: number): Promise<string> {
  await page.goto("/convocatorias?estado=en_postulacion");
  const card = page.getByRole("article").nth(n);
  const codigo = (await card.getByRole("heading").innerText()).trim();
  await press(card.getByRole("link", { name: `Ver detalle de ${codigo}` }));
  await press(page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` }));
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();
  return codigo;
}

/** Chooses the first option of a <select> whose text matches. */
export async function chooseOption(select: Locator, text: string | RegExp) {
  const value = await select.locator("option").filter({ hasText: text }).first().getAttribute("value");
  await select.selectOption(value!);
}
