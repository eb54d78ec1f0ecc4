import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { PDFDocument, StandardFonts } from "pdf-lib";
import pg from "pg";
import { CLUSTER } from "../../playwright.cluster.config";
import { E2E } from "../e2e/support/env";
import { expect, expectAccessible, registerApplicant, staffSignIn, test, uniqueDni, uniqueEmail, waitForMail } from "../e2e/support/fixtures";

// Issue 16, "A cluster you can run": the seed's journey through nginx in front of two app
// processes on PostgreSQL and s3rver (scripts/cluster.sh) — register, upload every required
// document, finalize, and a gestor opens the expediente — while app process 1 is stopped with
// SIGTERM and started again in the middle of the uploads. Nothing is lost or doubled.

/** `bash scripts/cluster.sh restart N`, in the background; resolves when the process is ready again. */
function restartApp(n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["scripts/cluster.sh", "restart", String(n)], {
      env: { ...process.env, ...CLUSTER.env },
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`cluster.sh restart ${n} exited with ${code}`))));
  });
}

async function documentoPdf(titulo: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  doc.addPage([420, 595]).drawText(titulo, { x: 30, y: 540, size: 12, font });
  return Buffer.from(await doc.save());
}

async function query<T>(sql: string, params: unknown[]): Promise<T[]> {
  const client = new pg.Client({ connectionString: CLUSTER.databaseUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

function mailsTo(address: string, subject: RegExp): number {
  return readdirSync(E2E.mailDir).filter((f) => {
    const mail = JSON.parse(readFileSync(path.join(E2E.mailDir, f), "utf8")) as { to: string[]; subject: string };
    return mail.to.includes(address) && subject.test(mail.subject);
  }).length;
}

async function requiredTypes(page: Page): Promise<Array<{ value: string; label: string }>> {
  const options = await page.getByLabel("Tipo de documento").locator("option").evaluateAll((els) =>
    els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? "" })),
  );
  return options.filter((o) => o.text.includes("(obligatorio)")).map((o) => ({ value: o.value, label: o.text.slice(0, o.text.indexOf(" (obligatorio)")).trim() }));
}

test.use({ javaScriptEnabled: false });

test("through nginx with two app processes, one restarted mid-journey: register, upload, finalize, staff review; nothing lost or doubled", async ({ page, browser }) => {
  const a = {
    nacionalidad: "Peruana",
    tipoDocumento: "DNI" as const,
    numeroDocumento: uniqueDni(),
    nombres: "Rosa Elvira",
    apellidoPaterno: "Quispe",
    apellidoMaterno: "Huamán",
    fechaNacimiento: "1990-02-11",
    sexo: "Femenino" as const,
    email: uniqueEmail("rosa"),
    celular: "987654321",
    direccion: "Jr. Junín 455",
    ubigeo: { departamento: "CUSCO", provincia: "CUSCO", distrito: "WANCHAQ" },
    password: "Cusco-Inti-1990",
  };
  await registerApplicant(page, a, false);

  // POSTULAR on the first open convocatoria (signed in: straight to the Postulación page).
  await page.goto("/convocatorias?estado=en_postulacion");
  const codigo = (await page.getByRole("article").first().getByRole("heading").innerText()).trim();
  await page.getByRole("article", { name: codigo }).getByRole("link", { name: `Ver detalle de ${codigo}` }).click();
  await page.getByRole("main").getByRole("link", { name: `POSTULAR a ${codigo}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Postulación" })).toBeVisible();

  const tipos = await requiredTypes(page);
  expect(tipos.length).toBeGreaterThan(1);
  let restarted: Promise<void> | undefined;
  for (const [i, tipo] of tipos.entries()) {
    await page.getByLabel("Tipo de documento").selectOption(tipo.value);
    await page.getByLabel("Archivo (PDF)").setInputFiles({ name: `doc-${i + 1}.pdf`, mimeType: "application/pdf", buffer: await documentoPdf(tipo.label) });
    // App process 1 is stopped (SIGTERM) as the second document leaves, and started again.
    if (i === 1) restarted = restartApp(1);
    await page.getByRole("button", { name: "CARGAR" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Documento cargado." })).toBeVisible();
  }
  await restarted;
  for (const tipo of tipos) await page.getByRole("checkbox", { name: `Confirmar ${tipo.label}` }).check();
  await page.getByRole("button", { name: "Guardar confirmaciones" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Confirmaciones guardadas." })).toBeVisible();
  await page.getByRole("group", { name: "DECLARACIÓN" }).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Guardar y Finalizar Postulación" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Finalizar Postulación" })).toBeVisible();
  await page.getByRole("checkbox", { name: "He leído el mensaje y estoy conforme con finalizar mi postulación." }).check();
  await page.getByRole("button", { name: "Aceptar" }).click();
  await expect(page.getByRole("status")).toContainText("Su postulación ha sido registrada satisfactoriamente");
  await expectAccessible(page);
  const numero = (await page.getByRole("main").locator("dt:has-text('Número de postulación') + dd").innerText()).trim();
  await waitForMail(a.email, new RegExp(`Postulación registrada N° ${numero}`), 60_000);

  // In the database: one postulación, registrada, one row per document, one e-mail queued and sent once.
  const [postulacion, ...more] = await query<{ id: string; estado: string; numero: string }>(
    `select p.id, p.estado, p.numero from postulaciones p join postulantes u on u.id = p.postulante_id where u.numero_documento = $1`,
    [a.numeroDocumento],
  );
  expect(more).toEqual([]);
  expect(postulacion).toMatchObject({ estado: "registrada", numero });
  const documentos = await query<{ tipo: string }>(`select tipo from documentos where postulacion_id = $1 order by tipo`, [postulacion!.id]);
  expect(documentos.map((d) => d.tipo)).toEqual(tipos.map((t) => t.value).sort());
  expect(await query(`select 1 from outbox where cause_key = $1`, [`postulacion-registrada:${postulacion!.id}`])).toHaveLength(1);
  expect(mailsTo(a.email, new RegExp(`Postulación registrada N° ${numero}`))).toBe(1);

  // A gestor of the demo opens the expediente: every document is there, each one served.
  // A browser of its own, with JavaScript (the applicant's context has none; axe runs in this one).
  const staff = await (await browser.newContext({ javaScriptEnabled: true, locale: "es-PE", timezoneId: "America/Lima" })).newPage();
  await staffSignIn(staff, "gestor@cas.demo", "Personal-2026!");
  await staff.goto(`/admin/postulaciones/${postulacion!.id}`);
  await expect(staff.getByRole("heading", { level: 1, name: `Expediente ${numero}` })).toBeVisible();
  const region = staff.getByRole("region", { name: "Documentos" });
  for (const [i, tipo] of tipos.entries()) {
    await expect(region).toContainText(tipo.label);
    await expect(region.getByRole("link", { name: `doc-${i + 1}.pdf` })).toHaveCount(1);
  }
  const links = region.getByRole("link");
  for (const href of await links.evaluateAll((els) => els.map((e) => e.getAttribute("href")!))) {
    const res = await staff.request.get(href);
    expect(res.status(), href).toBe(200);
    expect((await res.body()).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  }
  await expectAccessible(staff);
});
