import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { auditLog, outbox, postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { createPostulante } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { normalPdf, writeFixtures, type Fixtures } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, fetchBytes, HOUR, signIn, upload, uploadFichaDownloadJourney } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";
import { startSmtpServer } from "../support/smtp";

/** The seed's 2.1.4–2.1.6 over real HTTP with the no-JS client, real PDFs and real SMTP (issue 4). */
describe("Postulación over HTTP", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let fx: Fixtures;
  let pdf3: Uint8Array;
  let pdf2: Uint8Array;
  let pdf5: Uint8Array;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url } });
    app = await startTestApp(s);
    fx = await writeFixtures(mkdtempSync(path.join(tmpdir(), "cas-pdfs-")));
    [pdf3, pdf2, pdf5] = await Promise.all([normalPdf(2, "DNI"), normalPdf(1, "Ficha"), normalPdf(4, "DJ")]);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await s?.close();
    await smtp?.close();
  });

  async function applicant(overrides: Parameters<typeof createPostulante>[1] = {}) {
    const p = await createPostulante(s, overrides);
    const client = await signIn(s, app.client(), p);
    return { p, client };
  }

  const rowOf = async (postulanteId: string, convocatoriaId: string) =>
    (
      await s.db
        .select()
        .from(postulaciones)
        .where(and(eq(postulaciones.postulanteId, postulanteId), eq(postulaciones.convocatoriaId, convocatoriaId)))
    )[0];
  const docsOf = (postulacionId: string) => documentosDe(s.db, postulacionId);
  const filesIn = (dir: string): string[] => {
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((d) => d.isFile())
        .map((d) => path.join(d.parentPath, d.name));
    } catch {
      return [];
    }
  };
  /** A document's "CONFIRMAR DOCUMENTO CARGADO" checkbox as the page renders it. */
  const confirmBox = (html: string, documentoId: string) => html.match(new RegExp(`<input[^>]*id="campo-confirmar-${documentoId}"[^>]*>`))?.[0] ?? "";
  const storedFiles = () => filesIn(path.join(s.config.dataDir, "files"));

  /** Uploads the three required documents of a Peruvian applicant and returns the page. */
  async function uploadRequired(client: TestClient, cid: string) {
    await client.get(`/postulacion/${cid}`);
    for (const [tipo, bytes] of [["DNI", pdf3], ["FICHA_CURRICULAR", pdf2], ["DECLARACIONES_JURADAS", pdf5]] as const) {
      const res = await upload(client, `/postulacion/${cid}`, tipo, bytes, { filename: `${tipo.toLowerCase()}.pdf` });
      expect(res.status, `${tipo}: ${res.html.slice(0, 300)}`).toBe(302);
      expect(res.headers.get("location")).toBe(`/postulacion/${cid}?cargado=1`);
      await client.get(res.headers.get("location")!);
    }
  }

  it("takes an applicant from POSTULAR to the success message and the e-mail with the constancia, without JavaScript", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    const page = await client.get(`/postulacion/${c.id}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("<title>Postulación · CAS Online</title>");
    expect(page.html).toContain("<h1>Postulación</h1>");
    expect(page.html).toContain(c.codigo);
    expect(page.html).toContain(c.puesto);
    expect(page.html).toContain("CARGA DE DOCUMENTOS SUSTENTATORIOS");
    expect(page.html).toMatch(/<input type="reset"[^>]*value="Liberar"/);
    expect(page.html).toMatch(/<button type="submit"[^>]*>CARGAR<\/button>/);
    expect(page.html).toContain('href="/mi-perfil"');
    expect(page.html).toContain(p.nombres);
    // The drop-down: the catalogue's order, the Peruvian's identity type only, required ones marked.
    const options = [...page.html.matchAll(/<option value="([A-Z_]+)">([^<]*)/g)].map((m) => [m[1], m[2]]);
    expect(options.map((o) => o[0])).toEqual([
      "DNI", "FICHA_CURRICULAR", "FORMACION_ACADEMICA", "CURSOS_CAPACITACIONES", "EXPERIENCIA",
      "LICENCIADO_FFAA", "DISCAPACIDAD_CONADIS", "DEPORTISTA_ALTO_NIVEL", "DECLARACIONES_JURADAS",
    ]);
    expect(options[0]![1]).toContain("(obligatorio)");
    expect(options[2]![1]).toContain("(opcional)");
    // "POSTULAR" made the draft.
    const draft = await rowOf(p.id, c.id);
    expect(draft?.estado).toBe("en_registro");

    await uploadRequired(client, c.id);
    const table = await client.get(`/postulacion/${c.id}`);
    expect(table.html).toContain("CONFIRMAR DOCUMENTO CARGADO");
    for (const h of ["Tipo", "Archivo", "Tamaño", "Páginas", "Fecha de carga", "Ver", "Eliminar"]) {
      expect(table.html).toContain(`<th scope="col">${h}</th>`);
    }
    expect(table.html).toContain("Verificar Ficha Postulante");
    expect(table.html).toContain("Declaro haber leído con detenimiento las bases de la presente convocatoria");
    expect(table.html).toContain("Guardar y Finalizar Postulación");
    const docs = await docsOf(draft!.id);
    expect(docs.map((d) => [d.tipo, d.pages])).toEqual(
      expect.arrayContaining([["DNI", 3], ["FICHA_CURRICULAR", 2], ["DECLARACIONES_JURADAS", 5]]),
    );
    const ids = docs.map((d) => d.id);

    // Finalizing without the declaration and with a document unconfirmed: ONE answer names both,
    // each linked from the error summary to its checkbox; nothing is registered.
    let res = await client.post(`/postulacion/${c.id}`, { postulacionId: draft!.id, intent: "finalizar", confirmar: ids.slice(0, 2) });
    expect(res.status).toBe(422);
    const unconfirmed = docs.find((d) => d.id === ids[2])!;
    const summary = res.html.slice(res.html.indexOf('class="error-summary"'), res.html.indexOf("</ul>", res.html.indexOf('class="error-summary"')));
    expect(summary).toContain("Marque la casilla de la DECLARACIÓN");
    expect(summary).toContain(`href="#campo-declaracion"`);
    expect(summary).toContain(`href="#campo-confirmar-${unconfirmed.id}"`);
    expect(summary.match(/CONFIRMAR DOCUMENTO CARGADO/g)).toHaveLength(1);
    expect(confirmBox(res.html, unconfirmed.id)).toContain('aria-invalid="true"');
    expect(confirmBox(res.html, ids[0]!)).toMatch(/^<input[^>]*name="confirmar"/);
    expect(confirmBox(res.html, ids[0]!)).not.toContain("aria-invalid");
    // Nothing confirmed: every document is named at once, with the declaration.
    res = await client.post(`/postulacion/${c.id}`, { postulacionId: draft!.id, intent: "finalizar" });
    expect(res.status).toBe(422);
    for (const d of docs) expect(res.html).toContain(`href="#campo-confirmar-${d.id}"`);
    expect(res.html).toContain(`href="#campo-declaracion"`);
    expect((await rowOf(p.id, c.id))!.estado).toBe("en_registro");

    res = await client.post(`/postulacion/${c.id}`, { postulacionId: draft!.id, intent: "finalizar", declaracion: "on", confirmar: ids });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/postulacion/${c.id}/finalizar`);
    const confirm = await client.get(`/postulacion/${c.id}/finalizar`);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain("no podrá cargar, reemplazar ni eliminar documentos");
    expect(confirm.html).toContain(">Aceptar</button>");
    expect(confirm.html).toContain("Cancelar");
    res = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on" });
    expect(res.status).toBe(422);
    expect((await rowOf(p.id, c.id))!.estado).toBe("en_registro");

    res = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/postulacion/${c.id}/confirmada`);
    const done = await client.get(`/postulacion/${c.id}/confirmada`);
    expect(done.html).toContain("Su postulación ha sido registrada satisfactoriamente");
    const row = (await rowOf(p.id, c.id))!;
    expect(row.estado).toBe("registrada");
    expect(row.numero).toMatch(/^2026-\d{6}$/);
    expect(done.html).toContain(row.numero!);
    expect(done.html).toContain(formatLima(new Date("2026-11-26T15:00:00Z"))); // 15:00 UTC is 10:00 in Lima
    expect(done.html).toContain(`/postulacion/${row.id}/constancia.pdf`);
    expect(done.html).toContain(`/postulacion/${row.id}/ficha.pdf`);

    // The e-mail, through the outbox and real SMTP, with the constancia attached.
    const mail = await vi.waitFor(
      () => {
        const found = smtp.messages.find((m) => m.subject?.includes(row.numero!));
        if (!found) throw new Error("confirmation e-mail not received yet");
        return found;
      },
      { timeout: 10_000, interval: 100 },
    );
    expect(mail!.text).toContain("Su postulación ha sido registrada satisfactoriamente");
    expect(mail!.text).toContain(formatLima(new Date("2026-11-26T15:00:00Z")));
    const attachment = mail!.attachments.find((a) => a.contentType === "application/pdf");
    expect(attachment?.filename).toBe(`constancia-${row.numero}.pdf`);
    expect(attachment!.content.subarray(0, 5).toString()).toBe("%PDF-");

    // The constancia served, the same bytes as mailed.
    const constancia = await fetchBytes(client, `/postulacion/${row.id}/constancia.pdf`);
    expect(constancia.status).toBe(200);
    expect(Buffer.compare(constancia.bytes, attachment!.content)).toBe(0);

    // The audit row of the finalization.
    const audits = await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.event, "postulacion.registrada")));
    expect(audits).toHaveLength(1);

    // "POSTULAR" again: the same postulación, with the notice; no upload form.
    const again = await client.get(`/postulacion/${c.id}`);
    expect(again.html).toContain("Ya postuló a esta convocatoria");
    expect(again.html).not.toContain(">CARGAR</button>");
    expect(await s.db.select().from(postulaciones).where(eq(postulaciones.postulanteId, p.id))).toHaveLength(1);

    // A doubled "Aceptar": the same result, no second e-mail.
    res = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
    expect(res.status).toBe(302);
    expect((await rowOf(p.id, c.id))!.numero).toBe(row.numero);
    expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${row.id}`))).toHaveLength(1);

    // Mis postulaciones.
    const mis = await client.get("/mis-postulaciones");
    expect(mis.html).toContain(c.codigo);
    expect(mis.html).toContain("Registrada");
    expect(mis.html).toContain(row.numero!);
    expect(mis.html).toContain(`/postulacion/${row.id}/constancia.pdf`);
  }, 120_000);

  it("keeps originals, the ficha and the constancia in the local storage directory and serves them back intact", async () => {
    await uploadFichaDownloadJourney({
      services: s,
      app,
      smtp,
      readStored: async (key) => {
        try {
          return readFileSync(path.join(s.config.dataDir, "files", key));
        } catch {
          return null;
        }
      },
    });
  }, 120_000);

  it("builds the ficha once per change: a cover plus every page, in the drop-down's order, stored and served again", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await uploadRequired(client, c.id);
    const row = (await rowOf(p.id, c.id))!;
    const first = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
    expect(first.status).toBe(200);
    expect(first.headers.get("content-type")).toBe("application/pdf");
    expect(first.headers.get("x-content-type-options")).toBe("nosniff");
    expect(first.headers.get("cache-control")).toBe("private, no-store");
    const doc = await PDFDocument.load(first.bytes);
    expect(doc.getPageCount()).toBe(1 + 3 + 2 + 5);
    const stored = (await rowOf(p.id, c.id))!;
    expect(stored.fichaVersion).toBe(stored.documentosVersion);
    expect(stored.fichaPages).toBe(11);
    // Served from storage the second time: the same bytes, no new build.
    const second = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
    expect(Buffer.compare(first.bytes, second.bytes)).toBe(0);
    expect(
      await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, row.id), eq(auditLog.event, "postulacion.ficha_generada"))),
    ).toHaveLength(1);
    // A second file for a type (bytes already in Mis documentos: reused): a new ficha, with both; the old one deleted.
    const res = await upload(client, `/postulacion/${c.id}`, "FICHA_CURRICULAR", pdf5);
    expect(res.headers.get("location")).toBe(`/postulacion/${c.id}?reutilizado=1`);
    const third = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
    expect((await PDFDocument.load(third.bytes)).getPageCount()).toBe(1 + 3 + 2 + 5 + 5);
    expect(storedFiles().some((f) => f.endsWith(stored.fichaKey!))).toBe(false);
  }, 120_000);

  it("keeps no active content in the ficha even when an upload carried some", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get(`/postulacion/${c.id}`);
    const res = await upload(client, `/postulacion/${c.id}`, "DNI", readFileSync(fx.active));
    expect(res.status).toBe(302);
    const row = (await rowOf(p.id, c.id))!;
    const ficha = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
    const text = ficha.bytes.toString("latin1");
    expect(text).not.toMatch(/\/(JavaScript|Launch|EmbeddedFiles|OpenAction|FileAttachment)\b/);
    // The original is kept as received.
    const [d] = await docsOf(row.id);
    const original = await fetchBytes(client, `/postulacion/documentos/${d!.id}`);
    expect(Buffer.compare(original.bytes, readFileSync(fx.active))).toBe(0);
    // It got a sanitised copy of its own; a clean upload is its own sanitised copy (one stored object).
    expect(d!.sanitizedKey).not.toBe(d!.originalKey);
    expect((await upload(client, `/postulacion/${c.id}`, "FICHA_CURRICULAR", readFileSync(fx.normal))).status).toBe(302);
    const clean = (await docsOf(row.id)).find((x) => x.tipo === "FICHA_CURRICULAR")!;
    expect(clean.sanitizedKey).toBe(clean.originalKey);
    expect(clean.sanitizedSize).toBe(clean.size);
    const both = await fetchBytes(client, `/postulacion/${row.id}/ficha.pdf`);
    expect(both.status).toBe(200);
    expect(both.bytes.toString("latin1")).not.toMatch(/\/(JavaScript|Launch|EmbeddedFiles|OpenAction|FileAttachment)\b/);
  });

  it("refuses hostile or broken files with their Spanish message and keeps nothing", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get(`/postulacion/${c.id}`);
    const before = storedFiles().length;
    const cases: Array<[keyof Fixtures, string]> = [
      ["encryptedUser", "El archivo está protegido con contraseña"],
      ["truncated", "El archivo PDF está dañado o incompleto"],
      ["empty", "El archivo está vacío"],
      ["renamedPng", "El archivo no es un PDF válido"],
      ["html", "El archivo no es un PDF válido"],
      ["zipWithPdfHeader", "El archivo no es un PDF válido"],
      ["bomb", "El archivo no se pudo procesar"],
      ["tooManyPages", "El archivo tiene demasiadas páginas"],
      ["concatenated", "El archivo contiene varios PDF pegados uno tras otro"],
    ];
    for (const [name, message] of cases) {
      const res = await upload(client, `/postulacion/${c.id}`, "DNI", readFileSync(fx[name]), { filename: "dni.pdf" });
      expect(res.status, name).toBe(422);
      expect(res.html, name).toContain(message);
      expect(res.html, name).toContain("error-summary");
    }
    const row = (await rowOf(p.id, c.id))!;
    expect(await docsOf(row.id)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
  }, 120_000);

  it("cuts an upload over the type's limit with 413 and keeps nothing", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get(`/postulacion/${c.id}`);
    const before = storedFiles().length;
    // 6 MB for a 5 MB type, and 11 MB over the largest limit (cut mid-stream).
    for (const size of [6, 11]) {
      const bytes = Buffer.concat([Buffer.from(await normalPdf(1)), Buffer.alloc(size * 1024 * 1024)]);
      const res = await upload(client, `/postulacion/${c.id}`, "DNI", bytes);
      expect(res.status, `${size} MB`).toBe(413);
      expect(res.html).toContain("El archivo supera el tamaño máximo de 5 MB");
    }
    const row = (await rowOf(p.id, c.id))!;
    expect(await docsOf(row.id)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
    // The connection of a cut-off body is closed, not reused with leftover bytes.
    expect((await client.get(`/postulacion/${c.id}`)).status).toBe(200);
  });

  it("checks the convocatoria and starts the draft while the file is still arriving", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get("/"); // a CSRF token, without opening the postulación (no draft yet)
    expect(await rowOf(p.id, c.id)).toBeUndefined();
    const pdf = Buffer.from(await normalPdf(2, "DNI"));
    const boundary = "----casTestBoundary7MA4YWxkTrZu0gW";
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${client.csrf}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="tipo"\r\n\r\nDNI\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="archivo"; filename="dni.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    // The body stops after the first kilobyte of the file until the draft exists (10 s at most).
    let draftWhileArriving = false;
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(Buffer.concat([head, pdf.subarray(0, 1024)]));
        for (let waited = 0; waited < 10_000 && !draftWhileArriving; waited += 20) {
          draftWhileArriving = (await rowOf(p.id, c.id)) !== undefined;
          if (!draftWhileArriving) await new Promise((r) => setTimeout(r, 20));
        }
        controller.enqueue(Buffer.concat([pdf.subarray(1024), Buffer.from(`\r\n--${boundary}--\r\n`)]));
        controller.close();
      },
    });
    const res = await client.send(`/postulacion/${c.id}`, body, { "content-type": `multipart/form-data; boundary=${boundary}` });
    expect(draftWhileArriving).toBe(true);
    expect(res.status, res.html.slice(0, 300)).toBe(302);
    const [doc] = await docsOf((await rowOf(p.id, c.id))!.id);
    expect(doc?.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
  });

  it("answers 404 to another applicant for every file of a postulación", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await uploadRequired(client, c.id);
    const row = (await rowOf(p.id, c.id))!;
    const ids = (await docsOf(row.id)).map((d) => d.id);
    expect((await client.post(`/postulacion/${c.id}`, { postulacionId: row.id, intent: "confirmar", confirmar: ids })).status).toBe(302);
    const fin = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
    expect(fin.status, fin.html.slice(0, 2000)).toBe(302);
    Object.assign(row, await rowOf(p.id, c.id));
    const { client: other } = await applicant();
    for (const url of [
      `/postulacion/documentos/${ids[0]}`,
      `/postulacion/${row.id}/ficha.pdf`,
      `/postulacion/${row.id}/constancia.pdf`,
      `/postulacion/documentos/00000000-0000-0000-0000-000000000000`,
      `/postulacion/documentos/not-a-uuid`,
    ]) {
      const res = await other.get(url);
      expect(res.status, url).toBe(404);
    }
    // Their own page for that convocatoria is their own (an empty draft), never the other's.
    const page = await other.get(`/postulacion/${c.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain(row.numero!);
    // Another applicant cannot remove or confirm someone else's document either.
    const del = await other.post(`/postulacion/${c.id}`, { eliminar: ids[0]! });
    expect(del.status).toBe(404);
    expect(await docsOf(row.id)).toHaveLength(3);
    // Anonymous: to the login page.
    const anon = await app.client().get(`/postulacion/${row.id}/ficha.pdf`);
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("refuses every action without the CSRF token (403) and changes nothing", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await uploadRequired(client, c.id);
    const row = (await rowOf(p.id, c.id))!;
    const ids = (await docsOf(row.id)).map((d) => d.id);
    const checks = [
      await upload(client, `/postulacion/${c.id}`, "FORMACION_ACADEMICA", pdf2, { csrf: null }),
      await upload(client, `/postulacion/${c.id}/cargar`, "FORMACION_ACADEMICA", pdf2, { csrf: "forged" }),
      await client.post(`/postulacion/${c.id}`, { eliminar: ids[0]! }, { csrf: null }),
      await client.post(`/postulacion/${c.id}`, { postulacionId: row.id, intent: "confirmar", confirmar: ids }, { csrf: null }),
      await client.post(`/postulacion/${c.id}`, { postulacionId: row.id, intent: "aceptar", declaracion: "on", acepto: "on", confirmar: ids }, { csrf: "x" }),
      await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" }, { csrf: null }),
    ];
    for (const res of checks) expect(res.status).toBe(403);
    const after = (await rowOf(p.id, c.id))!;
    expect(after.estado).toBe("en_registro");
    expect(after.documentosVersion).toBe(row.documentosVersion);
    expect((await docsOf(row.id)).every((d) => d.confirmadoAt === null)).toBe(true);
  });

  it("closes uploads and finalization when the window closes, and keeps the draft visible with the closing time", async () => {
    const c = await createConvocatoriaAbierta(s, { fin: new Date(s.clock.now().getTime() + HOUR) });
    const { p, client } = await applicant();
    await uploadRequired(client, c.id);
    const row = (await rowOf(p.id, c.id))!;
    const ids = (await docsOf(row.id)).map((d) => d.id);
    await client.post(`/postulacion/${c.id}`, { postulacionId: row.id, intent: "confirmar", confirmar: ids });
    s.clock.set(new Date(c.postulacionFin!.getTime() + 1000));
    await signIn(s, client, p); // a fresh session at the new time (the old one idled out)
    try {
      const page = await client.get(`/postulacion/${c.id}`);
      expect(page.html).toContain(`El plazo de postulación terminó el ${formatLima(c.postulacionFin!)} (hora de Lima)`);
      expect(page.html).toContain("dni.pdf");
      expect(page.html).not.toContain(">CARGAR</button>");
      const up = await upload(client, `/postulacion/${c.id}`, "FORMACION_ACADEMICA", pdf2);
      expect(up.status).toBe(409);
      const fin = await client.post(`/postulacion/${c.id}/finalizar`, { declaracion: "on", acepto: "on" });
      expect(fin.status).toBe(409);
      expect(fin.html).toContain("El plazo de postulación");
      const del = await client.post(`/postulacion/${c.id}`, { eliminar: ids[0]! });
      expect(del.status).toBe(409);
      expect((await rowOf(p.id, c.id))!.estado).toBe("en_registro");
      expect(await docsOf(row.id)).toHaveLength(3);
    } finally {
      s.clock.set(new Date("2026-11-26T15:00:00Z"));
    }
  });

  it("stores hostile file names safely and shows them escaped", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get(`/postulacion/${c.id}`);
    const names = [
      "../../etc/passwd<img src=x onerror=alert(1)>.pdf",
      "C:\\Users\\rosa\\Documentos\\título ñandú 履歴書.pdf",
      `${"á".repeat(300)}.pdf`,
      "evil\u202Efdp.exe",
    ];
    const tipos = ["DNI", "FICHA_CURRICULAR", "FORMACION_ACADEMICA", "EXPERIENCIA"];
    for (const [i, name] of names.entries()) {
      // Different bytes each: the same bytes again would be the file already in Mis documentos, under its first name.
      const res = await upload(client, `/postulacion/${c.id}`, tipos[i]!, await normalPdf(1, `Archivo ${i}`), { filename: name });
      expect(res.status, name).toBe(302);
    }
    const row = (await rowOf(p.id, c.id))!;
    const docs = await docsOf(row.id);
    const byTipo = Object.fromEntries(docs.map((d) => [d.tipo, d]));
    expect(byTipo.DNI!.filename).toBe("passwd<img src=x onerror=alert(1)>.pdf");
    // (the multipart parser already drops a Windows path's backslashes; what is left has no separator)
    expect(byTipo.FICHA_CURRICULAR!.filename).toMatch(/^[^\\/]*título ñandú 履歴書\.pdf$/);
    expect(Array.from(byTipo.FORMACION_ACADEMICA!.filename).length).toBeLessThanOrEqual(120);
    expect(byTipo.FORMACION_ACADEMICA!.filename.startsWith("ááá")).toBe(true);
    expect(byTipo.EXPERIENCIA!.filename).toBe("evilfdp.exe");
    for (const d of docs) {
      expect(d.originalKey).not.toContain(d.filename);
      expect(d.originalKey).toMatch(/^postulantes\/[0-9a-f-]{36}\/archivos\/[0-9a-f-]{36}-original$/);
    }
    const page = await client.get(`/postulacion/${c.id}`);
    expect(page.html).not.toContain("<img src=x");
    // (the name is shown with <wbr> break opportunities between its parts: FileName)
    expect(page.html.replaceAll("<wbr/>", "")).toContain("passwd&lt;img src=x onerror=alert(1)&gt;.pdf");
    const res = await fetchBytes(client, `/postulacion/documentos/${byTipo.FICHA_CURRICULAR!.id}`);
    expect(res.headers.get("content-disposition")).toBe(
      `inline; filename="${byTipo.FICHA_CURRICULAR!.filename.replace("título ñandú 履歴書", "titulo nandu ___")}"; filename*=UTF-8''${encodeURIComponent(byTipo.FICHA_CURRICULAR!.filename)}`,
    );
    // Served under a name without the override and ending in .pdf, as the type it is served with.
    const evil = await fetchBytes(client, `/postulacion/documentos/${byTipo.EXPERIENCIA!.id}`);
    expect(evil.headers.get("content-type")).toBe("application/pdf");
    expect(evil.headers.get("content-disposition")).toBe(`inline; filename="evilfdp.exe.pdf"; filename*=UTF-8''evilfdp.exe.pdf`);
    // Nothing was written outside the storage directory.
    for (const f of storedFiles()) expect(statSync(f).isFile()).toBe(true);
  });

  it("uploads by XMLHttpRequest to /cargar with a JSON answer, and Eliminar removes a document from the postulación only", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await client.get(`/postulacion/${c.id}`);
    const ok = await upload(client, `/postulacion/${c.id}/cargar`, "EXPERIENCIA", pdf2, { headers: { accept: "application/json" } });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.html)).toEqual({ ok: true, message: "Sustentos de experiencia: documento cargado." });
    const bad = await upload(client, `/postulacion/${c.id}/cargar`, "EXPERIENCIA", readFileSync(fx.encryptedUser));
    expect(bad.status).toBe(422);
    expect(JSON.parse(bad.html)).toEqual({ ok: false, errors: { archivo: "El archivo está protegido con contraseña" } });
    const foreign = await upload(client, `/postulacion/${c.id}/cargar`, "CARNET_EXTRANJERIA", pdf2);
    expect(foreign.status).toBe(422); // the identity type follows the nationality
    const row = (await rowOf(p.id, c.id))!;
    const [doc] = await docsOf(row.id);
    const files = storedFiles().length;
    await client.get(`/postulacion/${c.id}`);
    const del = await client.post(`/postulacion/${c.id}`, { eliminar: doc!.id });
    expect(del.status).toBe(302);
    expect(await docsOf(row.id)).toHaveLength(0);
    // The file stays in Mis documentos (its bytes too), downloadable there by its owner only.
    expect(storedFiles().length).toBe(files);
    expect((await client.get(`/postulacion/documentos/${doc!.id}`)).status).toBe(404);
    expect((await fetchBytes(client, `/mis-documentos/${doc!.archivoId}`)).status).toBe(200);
    const other = (await applicant()).client;
    expect((await fetchBytes(other, `/mis-documentos/${doc!.archivoId}`)).status).toBe(404);
  });

  it("saves a CONFIRMAR DOCUMENTO CARGADO checkbox at once through the page's data request (JavaScript), and the page keeps it", async () => {
    const c = await createConvocatoriaAbierta(s);
    const { p, client } = await applicant();
    await uploadRequired(client, c.id);
    const row = (await rowOf(p.id, c.id))!;
    const ids = (await docsOf(row.id)).map((d) => d.id);
    // As the page's fetcher posts it: the whole table form, urlencoded, to the route's .data address.
    const save = (confirmar: string[]) =>
      client.post(`/postulacion/${c.id}.data`, { postulacionId: row.id, intent: "autoguardar-confirmaciones", confirmar });
    let res = await save([ids[1]!]);
    expect(res.status, res.html.slice(0, 300)).toBe(200);
    expect(res.html).toContain("guardado");
    expect(res.headers.get("x-remix-redirect")).toBeNull();
    const confirmed = async () => (await docsOf(row.id)).filter((d) => d.confirmadoAt).map((d) => d.id);
    expect(await confirmed()).toEqual([ids[1]]);
    // A reload shows it checked; the others stay unchecked.
    const page = await client.get(`/postulacion/${c.id}`);
    expect(confirmBox(page.html, ids[1]!)).toContain('checked=""');
    expect(confirmBox(page.html, ids[0]!)).toMatch(/^<input[^>]*name="confirmar"/);
    expect(confirmBox(page.html, ids[0]!)).not.toContain("checked");
    // Unchecking it is saved too.
    res = await save([]);
    expect(res.status).toBe(200);
    expect(await confirmed()).toEqual([]);
    // Without the CSRF token: 403, nothing saved.
    res = await client.post(`/postulacion/${c.id}.data`, { postulacionId: row.id, intent: "autoguardar-confirmaciones", confirmar: ids }, { csrf: null });
    expect(res.status).toBe(403);
    expect(await confirmed()).toEqual([]);
  });
});
