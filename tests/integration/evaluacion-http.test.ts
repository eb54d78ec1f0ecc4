import { and, asc, eq } from "drizzle-orm";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, documentos, evaluacionConfig, evaluacionEtapas, postulaciones, puntajes } from "~/db/schema";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { newStorageKey } from "~/platform/storage.server";
import { createPostulante, createStaff, signedInClient, type TestStaff } from "../support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones, prepareFichasZip, tinyPdf, zipEntries, zipEntry, type PostulacionFixture } from "../support/evaluacion";
import { startTestApp, type TestClient } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { documentosDe, fetchBytes } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/** Issue 5 over HTTP: review, scoring pages, exports, and every evaluation route for each role. */
describe("evaluación over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: TestStaff, gestor: TestStaff, evA: TestStaff, evB: TestStaff;
  let convId: string;
  let ps: PostulacionFixture[];
  let curricularId: string;
  let docs: { dni: string; discapacidad: string };

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    [admin, gestor, evA, evB] = [await createStaff(s, "administrador"), await createStaff(s, "gestor"), await createStaff(s, "evaluador"), await createStaff(s, "evaluador")];
    const conv = await createConvocatoria(s);
    convId = conv.id;
    ps = await createPostulaciones(s, conv.id, 3, { documentos: ["DNI", "DISCAPACIDAD_CONADIS", "LICENCIADO_FFAA"], borradores: 2 });
    await ensureEvaluacion(s.db, conv.id);
    curricularId = (await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden)))[0]!.id;
    await assignDirect(s, curricularId, [evA.id]);
    const rows = await documentosDe(s.db, ps[0]!.id);
    docs = { dni: rows.find((d) => d.tipo === "DNI")!.id, discapacidad: rows.find((d) => d.tipo === "DISCAPACIDAD_CONADIS")!.id };
    // Two registered fichas built, one not.
    for (const p of ps.slice(0, 2)) {
      const stored = await s.storage.put(newStorageKey("pruebas/fichas"), await tinyPdf(`Ficha ${p.numero}`));
      await s.db
        .update(postulaciones)
        .set({ fichaKey: stored.key, fichaSize: stored.size, fichaVersion: 0, fichaRegistrada: true })
        .where(eq(postulaciones.id, p.id));
    }
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const signedIn = (owner: { staffId: string } | { postulanteId: string }) => signedInClient(app, s, owner);

  it("walks every evaluation route (GET and each POST) for each role", async () => {
    const p = ps[0]!;
    const gets = {
      misEvaluaciones: "/admin/evaluacion",
      etapa: `/admin/evaluacion/etapas/${curricularId}`,
      evaluacion: `/admin/convocatorias/${convId}/evaluacion`,
      lista: `/admin/convocatorias/${convId}/postulaciones`,
      excel: `/admin/convocatorias/${convId}/postulaciones/excel`,
      fichas: `/admin/convocatorias/${convId}/postulaciones/fichas`,
      expediente: `/admin/postulaciones/${p.id}`,
      documento: `/admin/postulaciones/${p.id}/archivo/${docs.dni}`,
      discapacidad: `/admin/postulaciones/${p.id}/archivo/${docs.discapacidad}`,
      ficha: `/admin/postulaciones/${p.id}/archivo/ficha`,
    };
    type Key = keyof typeof gets;
    const all = (status: number): Record<Key, number> => Object.fromEntries(Object.keys(gets).map((k) => [k, status])) as Record<Key, number>;
    const gestorGets = all(200);
    const expected: [string, () => Promise<TestClient>, Record<Key, number>][] = [
      ["administrador", () => signedIn({ staffId: admin.id }), gestorGets],
      ["gestor", () => signedIn({ staffId: gestor.id }), gestorGets],
      ["evaluador asignado", () => signedIn({ staffId: evA.id }), { ...all(403), misEvaluaciones: 200, etapa: 200, expediente: 200, documento: 200, ficha: 404, discapacidad: 404 }],
      ["evaluador no asignado", () => signedIn({ staffId: evB.id }), { ...all(403), misEvaluaciones: 200, expediente: 404, documento: 404, discapacidad: 404, ficha: 404 }],
      ["postulante", async () => signedIn({ postulanteId: (await createPostulante(s)).id }), all(403)],
      ["anónimo", async () => app.client(), all(302)],
    ];
    for (const [who, make, statuses] of expected) {
      const c = await make();
      for (const [k, path] of Object.entries(gets) as [Key, string][]) {
        const res = await c.get(path);
        expect(res.status, `${who} GET ${k}`).toBe(statuses[k]);
        if (statuses[k] === 302) expect(res.headers.get("location"), `${who} GET ${k}`).toMatch(/^\/admin\/login/);
      }
    }

    const etapaPost = gets.etapa;
    const evalPost = gets.evaluacion;
    const posts: [string, string, Record<string, string | string[]>][] = [
      ["guardar", etapaPost, { intent: "guardar", [`puntaje_${p.id}`]: "40", [`observacion_${p.id}`]: "" }],
      ["corregir", etapaPost, { intent: "corregir", postulacionId: p.id, evaluadorId: evA.id, puntaje: "", motivo: "" }],
      ["configurar", evalPost, { intent: "configurar" }],
      ["asignar", evalPost, { intent: "asignar", etapaId: curricularId, evaluadores: [evA.id] }],
      ["cerrar", evalPost, { intent: "cerrar", etapaId: curricularId }],
      ["publicar", `${evalPost}/publicar`, { alcance: curricularId, huella: "0".repeat(64) }],
      ["bonificacion", evalPost, { intent: "bonificacion", postulacionId: p.id, tipo: "discapacidad", decision: "validar", observacion: "" }],
      ["desempate", evalPost, { intent: "desempate", nota: "" }],
    ];
    const gestorPosts = { guardar: 403, corregir: 422, configurar: 422, asignar: 302, cerrar: 409, publicar: 409, bonificacion: 302, desempate: 422 };
    const deny = (status: number) => Object.fromEntries(posts.map(([k]) => [k, status]));
    const expectedPosts: [string, () => Promise<TestClient>, Record<string, number>][] = [
      ["administrador", () => signedIn({ staffId: admin.id }), gestorPosts],
      ["gestor", () => signedIn({ staffId: gestor.id }), gestorPosts],
      ["evaluador no asignado", () => signedIn({ staffId: evB.id }), deny(403)],
      ["postulante", async () => signedIn({ postulanteId: (await createPostulante(s)).id }), deny(403)],
      ["anónimo", async () => app.client(), deny(302)],
      // Last: the assigned evaluador's save succeeds (302), so the gestor's "cerrar" above still had missing scores.
      ["evaluador asignado", () => signedIn({ staffId: evA.id }), { ...deny(403), guardar: 302 }],
    ];
    for (const [who, make, statuses] of expectedPosts) {
      const c = await make();
      for (const [k, path, fields] of posts) {
        const res = await c.post(path, fields);
        expect(res.status, `${who} POST ${k}`).toBe(statuses[k]);
      }
    }
    // Only the assigned evaluador's score exists.
    const saved = await s.db.select().from(puntajes).where(eq(puntajes.etapaId, curricularId));
    expect(saved.map((r) => [r.evaluadorId, r.puntaje])).toEqual([[evA.id, "40.00"]]);
  });

  it("hides the disability sustento from evaluadores (not listed, 404) and shows it to the gestor; every view is audited", async () => {
    const p = ps[1]!;
    const ev = await signedIn({ staffId: evA.id });
    const page = await ev.get(`/admin/postulaciones/${p.id}`);
    expect(page.status).toBe(200);
    expect(page.html).not.toContain("Discapacidad");
    // The ficha and the constancia carry every document (and name them): not for evaluadores.
    expect(page.html).not.toContain("Ficha de Postulación");
    expect(page.html).not.toContain("Constancia");
    expect(page.html).toContain("Fuerzas Armadas");
    const g = await signedIn({ staffId: gestor.id });
    const gp = await g.get(`/admin/postulaciones/${p.id}`);
    expect(gp.html).toContain("Persona con Discapacidad (CONADIS)");
    const discId = (await s.db.select().from(documentos).where(and(eq(documentos.postulacionId, p.id), eq(documentos.tipo, "DISCAPACIDAD_CONADIS"))))[0]!.id;
    const file = await g.get(`/admin/postulaciones/${p.id}/archivo/${discId}`);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    const views = await s.db.select().from(auditLog).where(and(eq(auditLog.entityType, "postulacion"), eq(auditLog.entityId, p.id)));
    expect(views.filter((v) => v.event === "expediente.visto").map((v) => v.actorId).sort()).toEqual([evA.id, gestor.id].sort());
    expect(views.filter((v) => v.event === "documento.visto")).toEqual([expect.objectContaining({ actorId: gestor.id, details: expect.objectContaining({ tipo: "DISCAPACIDAD_CONADIS" }) })]);
  });

  it("refuses a bad score over HTTP with the message at the field, keeps what was typed and saves nothing", async () => {
    const ev = await signedIn({ staffId: evA.id });
    const path = `/admin/evaluacion/etapas/${curricularId}`;
    await ev.get(path);
    const before = (await s.db.select().from(puntajes).where(eq(puntajes.etapaId, curricularId))).length;
    const res = await ev.post(path, { intent: "guardar", [`puntaje_${ps[1]!.id}`]: "38,5", [`puntaje_${ps[2]!.id}`]: "51", [`observacion_${ps[2]!.id}`]: "" });
    expect(res.status).toBe(422);
    expect(res.html).toContain(`El puntaje de la postulación ${ps[2]!.numero} (Nombre3 Flores Prueba) debe estar entre 0 y 50.00.`);
    expect(res.html).toContain('value="51"');
    expect((await s.db.select().from(puntajes).where(eq(puntajes.etapaId, curricularId))).length).toBe(before);
    // One row saved with its own button; the other row's bad value is ignored.
    const one = await ev.post(path, { intent: "guardar", fila: ps[1]!.id, [`puntaje_${ps[1]!.id}`]: "38,5", [`puntaje_${ps[2]!.id}`]: "xx" });
    expect(one.status).toBe(302);
    const rows = await s.db.select().from(puntajes).where(and(eq(puntajes.etapaId, curricularId), eq(puntajes.postulacionId, ps[1]!.id)));
    expect(rows[0]!.puntaje).toBe("38.50");
  });

  it("lists postulaciones with counts (drafts only counted), search and filters; exports a workbook and a ZIP of the registered fichas (built when missing)", async () => {
    const g = await signedIn({ staffId: gestor.id });
    const exportsBefore = (await s.db.select().from(auditLog).where(and(eq(auditLog.event, "postulaciones.exportadas"), eq(auditLog.entityId, convId)))).length;
    const text = (html: string) => html.replaceAll("<!-- -->", "");
    const list = await g.get(`/admin/convocatorias/${convId}/postulaciones`);
    expect(text(list.html)).toContain("Registradas: 3");
    expect(text(list.html)).toContain("En registro (sin finalizar): 2");
    const found = await g.get(`/admin/convocatorias/${convId}/postulaciones?q=${ps[2]!.numeroDocumento}`);
    expect(text(found.html)).toContain("1 postulación encontrada");
    expect(found.html).toContain(ps[2]!.numero);

    const xlsx = await fetch(`${app.baseUrl}/admin/convocatorias/${convId}/postulaciones/excel`, { headers: { cookie: [...g.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(xlsx.headers.get("content-type")).toContain("spreadsheetml");
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect(ws.rowCount).toBe(4);
    const numeros = [2, 3, 4].map((r) => ws.getRow(r).getCell(1).value);
    expect(numeros.sort()).toEqual(ps.map((p) => p.numero).sort());

    // The ZIP: prepared in the background, then downloaded (tests/integration/exportaciones.test.ts has the rest).
    const zip = await prepareFichasZip(g, convId, s.config.dataDir);
    // The two fichas built before are in it, and the third, which nobody had opened, was built.
    expect((await zipEntries(zip.file)).sort()).toEqual(ps.map((p) => `ficha-${p.numero}.pdf`).sort());
    expect((await zipEntry(zip.file, `ficha-${ps[0]!.numero}.pdf`)).subarray(0, 5).toString()).toBe("%PDF-");
    expect(await s.db.select().from(auditLog).where(and(eq(auditLog.event, "postulaciones.exportadas"), eq(auditLog.entityId, convId)))).toHaveLength(exportsBefore + 2);

    // The expediente offers the ficha; it serves the one the export built.
    expect((await g.get(`/admin/postulaciones/${ps[2]!.id}`)).html).toContain("Ficha de Postulación (PDF)");
    const ficha = await g.get(`/admin/postulaciones/${ps[2]!.id}/archivo/ficha`);
    expect(ficha.status).toBe(200);
    expect(ficha.headers.get("content-type")).toBe("application/pdf");
    expect((await s.db.query.postulaciones.findFirst({ where: eq(postulaciones.id, ps[2]!.id) }))!.fichaKey).toBeTruthy();
    // The registered ficha (issue 12): its cover says so, with the number.
    const fichaText = await pdfText((await fetchBytes(g, `/admin/postulaciones/${ps[2]!.id}/archivo/ficha`)).bytes);
    expect(fichaText).toContain("Registrada");
    expect(fichaText).toContain(ps[2]!.numero);
    // Built once, for the staff member who asked for the ZIP, then served from storage.
    const generada = await s.db.select().from(auditLog).where(and(eq(auditLog.event, "postulacion.ficha_generada"), eq(auditLog.entityId, ps[2]!.id)));
    expect(generada.map((r) => r.actorType)).toEqual(["staff"]);
  });

  it("shows published results on the public page (with masked documents when so set) and their PDF, and the applicant's state in Mis postulaciones", async () => {
    const conv = await createConvocatoria(s, { vacantes: 1 });
    const [a, b] = (await createPostulaciones(s, conv.id, 2)) as [PostulacionFixture, PostulacionFixture];
    await ensureEvaluacion(s.db, conv.id);
    await s.db.update(evaluacionConfig).set({ publicarComo: "documento_enmascarado" }).where(eq(evaluacionConfig.convocatoriaId, conv.id));
    const [cur, ent] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    await assignDirect(s, cur!.id, [evA.id]);
    await assignDirect(s, ent!.id, [evA.id]);
    const ev = await signedIn({ staffId: evA.id });
    const g = await signedIn({ staffId: gestor.id });
    await ev.get(`/admin/evaluacion/etapas/${cur!.id}`);
    expect((await ev.post(`/admin/evaluacion/etapas/${cur!.id}`, { intent: "guardar", [`puntaje_${a.id}`]: "45", [`puntaje_${b.id}`]: "30" })).status).toBe(302);
    await g.get(`/admin/convocatorias/${conv.id}/evaluacion`);
    // "Publicar" is a preview first; the confirmation carries the fingerprint of the rows it showed.
    const publicar = async (alcance: string) => {
      const page = await g.get(`/admin/convocatorias/${conv.id}/evaluacion/publicar?alcance=${alcance}`);
      const huella = /name="huella" value="([0-9a-f]{64})"/.exec(page.html)![1]!;
      return (await g.post(`/admin/convocatorias/${conv.id}/evaluacion/publicar`, { alcance, huella })).status;
    };
    expect(await publicar(cur!.id)).toBe(302);
    expect((await ev.post(`/admin/evaluacion/etapas/${ent!.id}`, { intent: "guardar", [`puntaje_${a.id}`]: "40" })).status).toBe(302);
    expect(await publicar(ent!.id)).toBe(302);
    expect(await publicar("final")).toBe(302);

    const anon = app.client();
    const page = await anon.get(`/convocatorias/${conv.id}`);
    const html = page.html.replaceAll("<!-- -->", "");
    expect(html).toContain("Resultado final");
    expect(html).toContain(`****${a.numeroDocumento.slice(-4)}`);
    expect(html).not.toContain(a.numeroDocumento);
    expect(html).not.toContain(a.apellidoPaterno + " Prueba");
    expect(html).toContain("GANADOR");
    const pdfHref = html.match(/href="(\/convocatorias\/[^"]+\/resultados\/[^"]+)"/)![1]!;
    const pdf = await anon.get(pdfHref);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");

    const mine = await signedIn({ postulanteId: b.postulanteId });
    const mp = (await mine.get("/mis-postulaciones")).html.replaceAll("<!-- -->", "");
    expect(mp).toContain("Resultado final");
    expect(mp).toContain("NO APTO");
    // Her own results (issue 17): her scores and the minimum she missed; another's are a 404.
    expect(mp).toContain(`href="/mis-postulaciones/${b.id}/resultados"`);
    const own = (await mine.get(`/mis-postulaciones/${b.id}/resultados`)).html.replaceAll("<!-- -->", "");
    expect(own).toContain("Mis resultados");
    expect(own).toContain("Puntaje mínimo para pasar");
    expect(own).toContain("30.00 de 50.00");
    expect(own).toContain("NO APTO");
    expect(own).not.toContain(a.numeroDocumento.slice(-4));
    expect((await mine.get(`/mis-postulaciones/${a.id}/resultados`)).status).toBe(404);
    expect((await anon.get(`/mis-postulaciones/${b.id}/resultados`)).status).toBe(302);
  });
});
