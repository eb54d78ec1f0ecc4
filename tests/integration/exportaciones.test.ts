import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { and, asc, eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, evaluacionEtapas, jobs, postulaciones, postulantes, puntajes } from "~/db/schema";
import { FICHAS_ZIP } from "~/features/evaluacion/exportar-fichas.server";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { newStorageKey } from "~/platform/storage.server";
import { createStaff, signedInClient, type TestStaff } from "../support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones, prepareFichasZip, zipEntries, zipEntry, type PostulacionFixture } from "../support/evaluacion";
import { startTestApp } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Issue 14, "Exports that are complete": the fichas ZIP holds the registered ficha of EVERY
 * registered postulación (built by a background job, including those nobody opened), its
 * status page works without JavaScript, and the workbook reads back with real dates, district
 * names, a sheet per stage, a frozen header and filters.
 */
describe("exports that are complete", { timeout: 180_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let gestor: TestStaff, evaluador: TestStaff, jorge: TestStaff;
  let dir: string;

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    [gestor, evaluador, jorge] = [await createStaff(s, "gestor"), await createStaff(s, "evaluador"), await createStaff(s, "evaluador", { nombre: "Jorge Evaluador" })];
    dir = await mkdtemp(path.join(tmpdir(), "cas-exportaciones-"));
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const signedIn = (member: TestStaff) => signedInClient(app, s, { staffId: member.id });

  it("puts the registered ficha of every registered postulación in the ZIP, none of them opened before", async () => {
    const conv = await createConvocatoria(s);
    const ps = await createPostulaciones(s, conv.id, 4, { documentos: ["DNI", "FICHA_CURRICULAR"], borradores: 1 });
    const sinFicha = await s.db.select({ id: postulaciones.id }).from(postulaciones).where(and(inArray(postulaciones.id, ps.map((p) => p.id)), eq(postulaciones.fichaRegistrada, false)));
    expect(sinFicha).toHaveLength(4);

    const g = await signedIn(gestor);
    const page = await g.get(`/admin/convocatorias/${conv.id}/postulaciones/fichas`);
    expect(page.status).toBe(200);
    expect(page.html).toContain("Preparar ZIP de fichas");
    expect(page.html.replaceAll("<!-- -->", "")).toContain("cada una de las 4 postulaciones registradas");

    const zip = await prepareFichasZip(g, conv.id, dir);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    expect(zip.headers.get("content-disposition")).toMatch(/^attachment; filename="fichas-CAS-N-\d+-2026-PRUEBA\.zip"/);
    const entries = await zipEntries(zip.file);
    // One ficha per registered postulación, nothing else (the draft has none; no LEAME: none missing).
    expect(entries.sort()).toEqual(ps.map((p) => `ficha-${p.numero}.pdf`).sort());
    for (const p of ps) {
      const bytes = await zipEntry(zip.file, `ficha-${p.numero}.pdf`);
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      const text = await pdfText(bytes);
      expect(text).toContain("Ficha de Postulación");
      expect(text).toContain(`${p.nombres} ${p.apellidoPaterno} Prueba`);
      expect(text).toContain("Registrada");
      expect(text).toContain(p.numero);
      expect(text).not.toContain("vista previa");
    }
    // They are now the stored registered fichas the expediente serves.
    const rows = await s.db.select().from(postulaciones).where(inArray(postulaciones.id, ps.map((p) => p.id)));
    expect(rows.every((r) => r.fichaRegistrada && r.fichaKey)).toBe(true);
    // Audited: the request and the download, by the gestor.
    const audited = await s.db.select().from(auditLog).where(and(eq(auditLog.entityId, conv.id), eq(auditLog.actorId, gestor.id)));
    expect(audited.map((a) => a.event).sort()).toEqual(["postulaciones.exportacion_descargada", "postulaciones.exportadas"]);
    expect(audited.every((a) => (a.details as { exportacion?: string }).exportacion === zip.exportacionId)).toBe(true);
    // Kept in storage until it expires.
    const job = (await s.db.query.jobs.findFirst({ where: eq(jobs.id, zip.exportacionId) }))!;
    expect(await s.storage.exists(job.resultKey!)).toBe(true);
    expect(job.done).toBe(4);
  });

  it("shows the job's progress as text and a bar, with Actualizar (or a self-refresh when chosen), then the download; only to staff with the permission", async () => {
    const conv = await createConvocatoria(s);
    await createPostulaciones(s, conv.id, 1);
    const other = await createConvocatoria(s);
    const [job] = await s.db.insert(jobs).values({ kind: FICHAS_ZIP, subjectId: conv.id, requestedBy: gestor.id, status: "en_curso", done: 340, total: 1000, attempts: 1 }).returning();
    const url = `/admin/convocatorias/${conv.id}/postulaciones/fichas/${job!.id}`;
    const g = await signedIn(gestor);
    const text = (html: string) => html.replaceAll("<!-- -->", "");

    const running = await g.get(url);
    expect(running.status).toBe(200);
    expect(text(running.html)).toContain("Preparando 340 de 1000 fichas");
    expect(running.html).toMatch(/<progress[^>]*max="1000"[^>]*value="340"/);
    // Without JavaScript: "Actualizar", and a self-refresh only when chosen (a page reloading unasked fails WCAG 2.2.1).
    expect(running.html).toContain('<a href="?">Actualizar</a>');
    expect(running.html).not.toContain('http-equiv="refresh"');
    expect(text(running.html)).toContain('<a href="?auto=1">Actualizar automáticamente cada 3 segundos</a>');
    const auto = await g.get(`${url}?auto=1`);
    expect(auto.html).toMatch(/<meta http-equiv="refresh" content="3"\/?>/);
    expect(text(auto.html)).toContain("Preparando 340 de 1000 fichas");
    expect(auto.html).toContain('<a href="?">Dejar de actualizar automáticamente</a>');
    expect(running.html).not.toContain(`${url}/zip`);
    // Not ready: the download answers with the status page.
    const early = await g.get(`${url}/zip`);
    expect(early.status).toBe(302);
    expect(early.headers.get("location")).toBe(url);
    // The convocatoria's page lists it.
    expect(text((await g.get(`/admin/convocatorias/${conv.id}/postulaciones/fichas`)).html)).toContain("Preparando 340 de 1000 fichas");

    const stored = await s.storage.put(newStorageKey("exportaciones/fichas"), Buffer.from("PK\u0005\u0006" + "\0".repeat(18), "latin1"));
    await s.db
      .update(jobs)
      .set({ status: "lista", done: 1000, resultKey: stored.key, resultSize: stored.size, resultName: "fichas-prueba.zip", finishedAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000) })
      .where(eq(jobs.id, job!.id));
    const ready = await g.get(`${url}?auto=1`);
    expect(text(ready.html)).toContain("Listo: 1000 fichas");
    expect(ready.html).not.toContain('http-equiv="refresh"');
    expect(ready.html).toContain(`href="${url}/zip"`);
    expect(text(ready.html)).toContain("Se conserva hasta el");

    // Only staff with the permission; and only under its own convocatoria.
    const ev = await signedIn(evaluador);
    expect((await ev.get(url)).status).toBe(403);
    expect((await ev.get(`${url}/zip`)).status).toBe(403);
    expect((await app.client().get(`${url}/zip`)).status).toBe(302);
    expect((await g.get(`/admin/convocatorias/${other.id}/postulaciones/fichas/${job!.id}/zip`)).status).toBe(404);
    expect((await g.get(`/admin/convocatorias/${other.id}/postulaciones/fichas/${job!.id}`)).status).toBe(404);
    const download = await g.get(`${url}/zip`);
    expect(download.status).toBe(200);
    expect(download.headers.get("cache-control")).toBe("private, no-store");

    // Expired: the file is deleted, the page says so and offers to prepare it again.
    await s.db.update(jobs).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(jobs.id, job!.id));
    expect(await s.jobs.expire()).toBeGreaterThanOrEqual(1);
    expect(await s.storage.exists(stored.key)).toBe(false);
    const expired = await g.get(url);
    expect(text(expired.html)).toContain("Vencido");
    expect(expired.html).toContain("Preparar ZIP de fichas");
    expect((await g.get(`${url}/zip`)).status).toBe(302);

    await s.db.update(jobs).set({ status: "fallida", lastError: "boom" }).where(eq(jobs.id, job!.id));
    const failed = await g.get(url);
    expect(text(failed.html)).toContain("No se pudo preparar");
    expect(failed.html).not.toContain("boom");
  });

  it("exports a workbook with Lima dates as dates, district names, a sheet per stage, a frozen header and filters", async () => {
    const conv = await createConvocatoria(s);
    const ps: PostulacionFixture[] = await createPostulaciones(s, conv.id, 3);
    // 2026-11-26T15:00Z is 10:00 in Lima.
    await s.db.update(postulantes).set({ ubigeo: "080108", fechaNacimiento: "1990-03-15" }).where(eq(postulantes.id, ps[0]!.postulanteId));
    await s.db.update(postulantes).set({ ubigeo: "150122" }).where(eq(postulantes.id, ps[1]!.postulanteId));
    await ensureEvaluacion(s.db, conv.id);
    const [curricular] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    await assignDirect(s, curricular!.id, [jorge.id]);
    await s.db.insert(puntajes).values([
      { etapaId: curricular!.id, postulacionId: ps[0]!.id, evaluadorId: jorge.id, puntaje: "42.50" },
      { etapaId: curricular!.id, postulacionId: ps[1]!.id, evaluadorId: jorge.id, puntaje: "20.00" },
    ]);

    const g = await signedIn(gestor);
    const res = await fetch(`${app.baseUrl}/admin/convocatorias/${conv.id}/postulaciones/excel`, { headers: { cookie: [...g.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Resumen", "1. Evaluación curricular", "3. Entrevista personal"]);
    for (const ws of wb.worksheets) {
      expect(ws.views[0], ws.name).toMatchObject({ state: "frozen", ySplit: 1 });
      expect(ws.autoFilter, ws.name).toBeTruthy();
    }
    const resumen = wb.getWorksheet("Resumen")!;
    const headers = (resumen.getRow(1).values as unknown[]).slice(1);
    expect(resumen.autoFilter).toBe(`A1:${resumen.getColumn(headers.length).letter}1`);
    const col = (name: string) => headers.indexOf(name) + 1;
    expect(col("Ubigeo")).toBe(0);
    const row = (numero: string) => {
      for (let r = 2; r <= resumen.rowCount; r++) if (resumen.getRow(r).getCell(1).value === numero) return resumen.getRow(r);
      throw new Error(`no row for ${numero}`);
    };
    const first = row(ps[0]!.numero);
    const registrada = first.getCell(col("Registrada (hora de Lima)"));
    expect(registrada.type).toBe(ExcelJS.ValueType.Date);
    // The cell shows Lima's wall clock: 10:00 on 26/11/2026.
    expect((registrada.value as Date).toISOString()).toBe("2026-11-26T10:00:00.000Z");
    expect(registrada.numFmt).toBe("dd/mm/yyyy hh:mm");
    const nacimiento = first.getCell(col("Fecha de nacimiento"));
    expect(nacimiento.type).toBe(ExcelJS.ValueType.Date);
    expect((nacimiento.value as Date).toISOString()).toBe("1990-03-15T00:00:00.000Z");
    expect(nacimiento.numFmt).toBe("dd/mm/yyyy");
    expect([col("Departamento"), col("Provincia"), col("Distrito")].map((c) => first.getCell(c).value)).toEqual(["CUSCO", "CUSCO", "WANCHAQ"]);
    expect(row(ps[1]!.numero).getCell(col("Distrito")).value).toBe("MIRAFLORES");
    expect(row(ps[2]!.numero).getCell(col("Distrito")).value).toBe("LIMA");

    const etapa = wb.getWorksheet("1. Evaluación curricular")!;
    const eh = (etapa.getRow(1).values as unknown[]).slice(1);
    expect(eh).toContain("Puntaje: Jorge Evaluador");
    expect(etapa.rowCount).toBe(4);
    const byNumero = new Map(Array.from({ length: 3 }, (_, i) => etapa.getRow(i + 2)).map((r) => [r.getCell(1).value, r]));
    const resultado = eh.indexOf("Resultado") + 1;
    expect(byNumero.get(ps[0]!.numero)!.getCell(eh.indexOf("Puntaje: Jorge Evaluador") + 1).value).toBe(42.5);
    expect(byNumero.get(ps[0]!.numero)!.getCell(resultado).value).toBe("APTO");
    expect(byNumero.get(ps[1]!.numero)!.getCell(resultado).value).toBe("NO APTO");
    expect(byNumero.get(ps[2]!.numero)!.getCell(resultado).value).toBe("Por calificar");
    // The next stage waits for this one to close: its sheet has the header only.
    expect(wb.getWorksheet("3. Entrevista personal")!.rowCount).toBe(1);
  });
});
