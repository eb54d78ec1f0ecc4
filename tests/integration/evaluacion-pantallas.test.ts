import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, evaluacionEtapas, postulantes, publicaciones } from "~/db/schema";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { recordDesempate } from "~/features/evaluacion/record-desempate.server";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { createStaff, signedInClient, type TestStaff } from "../support/accounts";
import { assignDirect, createConvocatoria, createPostulaciones, type PostulacionFixture } from "../support/evaluacion";
import { startTestApp } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { createTestServices, type TestServices } from "../support/services";
import { documentosDe } from "../support/postulacion";

/**
 * Issue 14, "Screens that say what they mean" and the results PDF, over HTTP: the expediente's
 * history in plain words, controls whose action would be refused not offered (the server still
 * refuses them), a scoring error that names its postulación, and the published PDF and its name.
 */
describe("evaluación screens that say what they mean", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let gestor: TestStaff, evA: TestStaff;
  let convId: string;
  let ps: PostulacionFixture[];
  let curricularId: string, entrevistaId: string;

  /** What a reader sees: the page's text without scripts, styles, tags, React's text separators or repeated spaces. */
  const texto = (html: string) =>
    html
      .replace(/<(script|style)\b[\s\S]*?<\/\1>/g, " ")
      .replace(/<!-- -->/g, "")
      .replace(/<[^>]+>/g, " ")
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ");

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    gestor = await createStaff(s, "gestor", { nombre: "Rosa Díaz" });
    evA = await createStaff(s, "evaluador", { nombre: "Luis Paredes" });
    const conv = await createConvocatoria(s);
    convId = conv.id;
    ps = await createPostulaciones(s, conv.id, 2, { documentos: ["DNI", "LICENCIADO_FFAA"] });
    await ensureEvaluacion(s.db, conv.id);
    const etapas = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    [curricularId, entrevistaId] = [etapas[0]!.id, etapas[1]!.id];
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const signedIn = (member: TestStaff) => signedInClient(app, s, { staffId: member.id });

  it("tells the expediente's history in plain words: what, which document, who by name and role, dd/mm/aaaa, hh:mm in Lima time", async () => {
    const p = ps[0]!;
    await s.db.update(postulantes).set({ fechaNacimiento: "1990-03-15" }).where(eq(postulantes.id, p.postulanteId));
    const dni = (await documentosDe(s.db, p.id)).find((d) => d.tipo === "DNI")!;
    // As the upload writes it: the applicant, the document's type and id (its file name is the document's).
    await s.db.insert(auditLog).values({
      at: new Date("2026-03-15T14:05:00Z"),
      actorType: "postulante",
      actorId: p.postulanteId,
      event: "documento.cargado",
      entityType: "postulacion",
      entityId: p.id,
      details: { tipo: "DNI", documentoId: dni.id, reemplazo: false },
    });
    // 00:30 UTC is still the 15th, 19:30, in Lima.
    await s.db.insert(auditLog).values({
      at: new Date("2026-03-16T00:30:00Z"),
      actorType: "staff",
      actorId: evA.id,
      event: "documento.visto",
      entityType: "postulacion",
      entityId: p.id,
      details: { tipo: "DNI", archivo: dni.id },
    });

    const g = await signedIn(gestor);
    const page = await g.get(`/admin/postulaciones/${p.id}`);
    expect(page.status).toBe(200);
    const t = texto(page.html);
    expect(t).toContain("15/03/2026, 09:05 · Cargó el documento «DNI» (dni.pdf) · el postulante");
    expect(t).toContain("15/03/2026, 19:30 · Abrió el documento «DNI» (dni.pdf) · Luis Paredes (evaluador)");
    // This very view, by the gestor, is in it too.
    expect(t).toMatch(/\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2} · Vio el expediente · Rosa Díaz \(gestor\)/);
    expect(t).toContain("Fecha de nacimiento 15/03/1990");
    for (const code of ["documento.cargado", "expediente.visto", "documento.visto", "· personal", "1990-03-15"]) expect(t).not.toContain(code);

    // An evaluador sees the expediente, not its history (it names staff and every document, the sensitive ones too).
    await assignDirect(s, curricularId, [evA.id]);
    const ev = await signedIn(evA);
    const evPage = await ev.get(`/admin/postulaciones/${p.id}`);
    expect(evPage.status).toBe(200);
    expect(evPage.html).not.toContain("Historial");
  });

  it("names the postulación in a refused score, at the field and in the error summary; the inputs are the styled ones", async () => {
    const ev = await signedIn(evA);
    const path = `/admin/evaluacion/etapas/${curricularId}`;
    const form = await ev.get(path);
    expect(form.html).toMatch(new RegExp(`<input[^>]*class="puntaje-input"[^>]*inputMode="decimal"|<input[^>]*inputMode="decimal"[^>]*class="puntaje-input"`, "i"));
    expect(form.html).toMatch(/<textarea[^>]*class="observacion-input"[^>]*rows="3"/);
    const p = ps[1]!;
    const res = await ev.post(path, { intent: "guardar", [`puntaje_${ps[0]!.id}`]: "40", [`puntaje_${p.id}`]: "51", [`observacion_${p.id}`]: "" });
    expect(res.status).toBe(422);
    const message = `El puntaje de la postulación ${p.numero} (Nombre2 Mamani Prueba) debe estar entre 0 y 50.00.`;
    const t = texto(res.html);
    // Once in the summary (a link to the field), once at the field.
    expect(t.split(message).length - 1).toBe(2);
    expect(res.html).toContain(`href="#campo-puntaje_${p.id}"`);
    expect(res.html).toContain(`id="campo-puntaje_${p.id}-error"`);
  });

  it("does not offer controls whose action would be refused, says why, and the server still refuses them", async () => {
    const g = await signedIn(gestor);
    const path = `/admin/convocatorias/${convId}/evaluacion`;
    const buttons = (html: string) => [...html.matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)].map((m) => texto(m[1]!).trim());

    // The interview waits for the curricular stage: no "Cerrar etapa" nor "Publicar" for it, and the reason.
    let page = await g.get(path);
    let t = texto(page.html);
    expect(buttons(page.html)).not.toContain("Cerrar etapa Entrevista personal");
    expect(buttons(page.html)).not.toContain("Publicar resultados de Entrevista personal");
    expect(t).toContain("Cierre primero la etapa anterior.");
    // The curricular stage has missing scores: the reason, no button.
    expect(buttons(page.html)).not.toContain("Cerrar etapa Evaluación curricular");
    expect(t).toContain("Faltan puntajes: 2 postulaciones no tienen la calificación de todos sus evaluadores.");
    expect(buttons(page.html)).toContain("Guardar configuración");
    expect((await g.post(path, { intent: "cerrar", etapaId: entrevistaId })).status).toBe(409);

    // Scored: "Cerrar etapa" is offered; closed, the configuration is shown, not offered to change.
    await recordPuntaje({ services: s, actorId: evA.id, etapaId: curricularId, filas: ps.map((p) => ({ postulacionId: p.id, puntaje: "40", observacion: "" })) });
    page = await g.get(path);
    expect(buttons(page.html)).toContain("Cerrar etapa Evaluación curricular");
    expect(texto(page.html)).toContain("Luis Paredes: 2 de 2");
    expect((await g.post(path, { intent: "cerrar", etapaId: curricularId })).status).toBe(302);
    page = await g.get(path);
    t = texto(page.html);
    expect(buttons(page.html)).not.toContain("Guardar configuración");
    expect(page.html).not.toContain('value="configurar"');
    expect(t).toContain("La configuración ya no puede cambiar: Evaluación curricular fue cerrada.");
    expect(t).toContain("Evaluación curricular Peso 50.00 % · máximo 50.00 · mínimo aprobatorio 35.00");
    const configurar = { intent: "configurar", peso_curricular: "50", maximo_curricular: "50", minimo_curricular: "35", peso_entrevista: "50", maximo_entrevista: "50", minimo_entrevista: "35", bonificacionesAcumulables: "si", publicarComo: "nombres" };
    expect((await g.post(path, configurar)).status).toBe(409);

    // Bonificaciones are decided until the final result is published; then neither "Validar" nor "Rechazar".
    expect(buttons(page.html)).toContain("Validar");
    await s.db.insert(publicaciones).values({ convocatoriaId: convId, alcance: "final", version: 1, titulo: "Resultado final", filas: [], publishedAt: s.clock.now(), publishedBy: gestor.id });
    page = await g.get(path);
    expect(buttons(page.html)).not.toContain("Validar");
    expect(buttons(page.html)).not.toContain("Rechazar");
    expect(texto(page.html)).toContain("El resultado final ya fue publicado; las bonificaciones no cambian.");
    const bono = { intent: "bonificacion", postulacionId: ps[0]!.id, tipo: "ffaa", decision: "validar", observacion: "" };
    expect((await g.post(path, bono)).status).toBe(409);
  });

  it("publishes a results PDF with whole headers, the entity, the acta, the tie-break criterion and each NO APTO's stage, under an RFC 6266 name", async () => {
    const conv = await createConvocatoria(s, { codigo: "CAS N° 014-2026-PRUEBA", vacantes: 1 });
    const [p1, p2, p3, p4] = await createPostulaciones(s, conv.id, 4);
    await ensureEvaluacion(s.db, conv.id);
    const [cur, ent] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, conv.id)).orderBy(asc(evaluacionEtapas.orden));
    await assignDirect(s, cur!.id, [evA.id]);
    await assignDirect(s, ent!.id, [evA.id]);
    const score = (etapaId: string, filas: [PostulacionFixture, string][]) =>
      recordPuntaje({ services: s, actorId: evA.id, etapaId, filas: filas.map(([p, puntaje]) => ({ postulacionId: p.id, puntaje, observacion: "" })) });
    const publish = (alcance: { etapaId: string } | "final", referenciaActa: string | null = null) =>
      publishResultados({ services: s, actorId: gestor.id, convocatoriaId: conv.id, alcance, motivo: null, referenciaActa });
    await score(cur!.id, [[p1!, "40"], [p2!, "40"], [p3!, "20"], [p4!, "45"]]);
    const etapa = await publish({ etapaId: cur!.id });
    await score(ent!.id, [[p1!, "40"], [p2!, "40"], [p4!, "10"]]);
    await publish({ etapaId: ent!.id });
    const nota = "Mayor puntaje en la evaluación curricular; luego sorteo ante el comité.";
    await recordDesempate({ services: s, actorId: gestor.id, convocatoriaId: conv.id, orden: [p2!.id, p1!.id], nota });
    const final = await publish("final", "Acta N° 003-2026-CS");

    const res = await fetch(`${app.baseUrl}/convocatorias/${conv.id}/resultados/${final.publicacionId}`);
    expect(res.status).toBe(200);
    const exact = "Resultado final - CAS N° 014-2026-PRUEBA - v1.pdf";
    expect(res.headers.get("content-disposition")).toBe(
      `inline; filename="Resultado final - CAS No 014-2026-PRUEBA - v1.pdf"; filename*=UTF-8''${encodeURIComponent(exact)}`,
    );
    const text = await pdfText(new Uint8Array(await res.arrayBuffer()));
    const flat = text.replace(/\s+/g, " ");
    expect(text).not.toContain("…");
    for (const word of ["Evaluación", "curricular", "Entrevista", "personal", "Bonificación", "Puntaje", "final", "Resultado"]) expect(text).toContain(word);
    expect(text.split("\n")[0]).toBe(s.config.entityName);
    expect(flat).toContain("Referencia del acta: Acta N° 003-2026-CS");
    expect(flat).toContain(`Criterio de desempate (puntaje final 80.00): ${nota}`);
    expect(flat).toContain("NO APTO (Evaluación curricular)");
    expect(flat).toContain("NO APTO (Entrevista personal)");
    expect(flat).toContain("GANADOR");

    // A stage's list: the accents of its title are whole in filename*, dropped (not "o-n") in the ASCII name.
    const stage = await fetch(`${app.baseUrl}/convocatorias/${conv.id}/resultados/${etapa.publicacionId}`);
    const cd = stage.headers.get("content-disposition")!;
    expect(cd).toMatch(/^inline; filename="Resultados de Evaluacion curricular - CAS No 014-2026-PRUEBA - v1\.pdf"; filename\*=UTF-8''/);
    expect(decodeURIComponent(cd.split("''")[1]!)).toBe("Resultados de Evaluación curricular - CAS N° 014-2026-PRUEBA - v1.pdf");
    expect(cd).toMatch(/^[\x20-\x7e]+$/);
  });

  it("answers an export with an RFC 6266 attachment name too", async () => {
    const g = await signedIn(gestor);
    const res = await fetch(`${app.baseUrl}/admin/convocatorias/${convId}/postulaciones/excel`, { headers: { cookie: [...g.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="[\x20-\x7e]+\.xlsx"; filename\*=UTF-8''[A-Za-z0-9%._~!-]+\.xlsx$/);
    await res.arrayBuffer();
  });
});
