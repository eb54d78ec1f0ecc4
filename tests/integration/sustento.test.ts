import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluacionEtapas, postulaciones } from "~/db/schema";
import { guardarPerfil } from "~/features/convocatorias/convocatoria-datos.server";
import { ensureEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { listEvidencias } from "~/features/postulacion/evidencias.server";
import { saveAndFinalizePostulacion } from "~/features/postulacion/save-and-finalize-postulacion.server";
import { createPostulante, createStaff, signedInClient } from "../support/accounts";
import { assignDirect } from "../support/evaluacion";
import { startTestApp } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { normalPdf } from "../support/pdfs";
import { HOUR, createConvocatoriaAbierta, documentosDe, fetchBytes, readyToFinalize, signIn, uploadDirect } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

const PERFIL = {
  formacionAcademica: "Título profesional en Derecho.",
  experienciaGeneral: "Cuatro (4) años.",
  experienciaEspecifica: "",
  cursosEspecializacion: "",
  conocimientos: "Gestión documental.",
  competencias: "Trabajo en equipo.",
};

/**
 * "Sustento de requisitos del perfil" (issue 17) over HTTP with the no-JS client: the
 * applicant's form (CSRF, Spanish errors at the field and in the summary, another applicant's
 * file, the normalised pages, locked once registered), the ficha's cover, and the HR's scoring
 * and expediente pages linking each page — as visible as the files themselves.
 */
describe("Sustento de requisitos over HTTP", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it("the applicant points to pages, sees the map on the ficha, and the evaluador opens each page", async () => {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s);
    await guardarPerfil(s.db, c.id, PERFIL);
    const client = await signIn(s, app.client(), p);
    const base = `/postulacion/${c.id}`;
    const postulacionId = await readyToFinalize(s, p.id, c.id, await normalPdf(1, "Requerido"));
    const titulo = await uploadDirect(s, p.id, c.id, "FORMACION_ACADEMICA", await normalPdf(3, "Título profesional"));
    const conadis = await uploadDirect(s, p.id, c.id, "DISCAPACIDAD_CONADIS", await normalPdf(1, "Certificado CONADIS"));

    const page = await client.get(base);
    expect(page.html).toContain("Sustento de requisitos del perfil");
    // Only the requirements this perfil states, each with its text; never «Competencias».
    expect(page.html).toMatch(/<legend>Formación académica<\/legend>/);
    expect(page.html).toMatch(/<legend>Conocimientos<\/legend>/);
    expect(page.html).not.toMatch(/<legend>(Experiencia específica|Competencias)<\/legend>/);
    expect(page.html).toContain("Título profesional en Derecho.");
    expect(page.html).toMatch(/<label for="campo-sustento-formacionAcademica-0-documento">Documento 1/);
    expect(page.html).toMatch(/<label for="campo-sustento-formacionAcademica-0-paginas">Páginas del documento 1/);

    const sustento = (campos: Record<string, string>) => client.post(base, { intent: "guardar-sustento", ...campos });
    // Without the CSRF token: 403, nothing saved.
    expect((await client.post(base, { intent: "guardar-sustento", "sustento-formacionAcademica-0-documento": titulo.documentoId, "sustento-formacionAcademica-0-paginas": "1" }, { csrf: "forged" })).status).toBe(403);

    // Errors in Spanish, at the field and in the summary; what was typed stays.
    const otro = await createPostulante(s);
    const ajeno = await uploadDirect(s, otro.id, c.id, "FORMACION_ACADEMICA", await normalPdf(1, "Ajeno"));
    const malo = await sustento({
      "sustento-formacionAcademica-0-documento": titulo.documentoId,
      "sustento-formacionAcademica-0-paginas": "2-9",
      "sustento-conocimientos-0-documento": ajeno.documentoId,
      "sustento-conocimientos-0-paginas": "1",
    });
    expect(malo.status).toBe(422);
    expect(malo.html).toContain("Revise los datos ingresados");
    expect(malo.html).toContain(`<a href="#campo-sustento-formacionAcademica-0-paginas">Formación académica, páginas del documento 1: «FORMACION_ACADEMICA.pdf» tiene 4 páginas: indique páginas entre 1 y 4.</a>`);
    expect(malo.html).toContain("Conocimientos, documento 1: Elija uno de los documentos cargados en esta postulación.");
    expect(malo.html).toMatch(/id="campo-sustento-formacionAcademica-0-paginas"[^>]*aria-invalid="true"[^>]*value="2-9"|aria-invalid="true"[^>]*id="campo-sustento-formacionAcademica-0-paginas"/);
    expect(await listEvidencias(s.db, [postulacionId])).toEqual([]);

    const ok = await sustento({
      "sustento-formacionAcademica-0-documento": titulo.documentoId,
      "sustento-formacionAcademica-0-paginas": "3, 1-2",
      "sustento-conocimientos-0-documento": conadis.documentoId,
      "sustento-conocimientos-0-paginas": "1",
    });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`${base}?sustento=1#sustento-titulo`);
    const saved = await client.get(`${base}?sustento=1`);
    expect(saved.html).toContain("Sustento de requisitos guardado.");
    expect(saved.html).toMatch(/id="campo-sustento-formacionAcademica-0-paginas"[^>]*value="1-3"/);
    // A new empty row for a second file of the same requirement.
    expect(saved.html).toContain('id="campo-sustento-formacionAcademica-1-documento"');

    // The ficha's cover lists the map, with where those pages are in the ficha.
    const ficha = await fetchBytes(client, `/postulacion/${postulacionId}/ficha.pdf`);
    expect(ficha.status).toBe(200);
    const cover = (await pdfText(ficha.bytes, { first: 1, last: 1 })).replace(/\s+/g, " ");
    expect(cover).toMatch(/Sustento de requisitos del perfil/);
    expect(cover).toMatch(/Formación académica Sustentos de formación académica: FORMACION_ACADEMICA\.pdf 1-3 \d+–\d+/);

    // Registered: read-only, and a post is refused.
    const confirmados = (await documentosDe(s.db, postulacionId)).map((d) => d.id);
    const { confirmDocumentos } = await import("~/features/postulacion/confirm-documento.server");
    await confirmDocumentos({ db: s.db, postulanteId: p.id, postulacionId, confirmados, now: s.clock.now() });
    await saveAndFinalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, postulacionId, confirmados, declaracion: true, paso: "aceptar", acepto: true });
    const registrada = await client.get(base);
    expect(registrada.html).toContain("Sustento de requisitos del perfil");
    expect(registrada.html).not.toContain("Guardar sustento");
    expect(registrada.html).toContain("FORMACION_ACADEMICA.pdf, páginas 1-3");
    const tarde = await sustento({ "sustento-formacionAcademica-0-documento": titulo.documentoId, "sustento-formacionAcademica-0-paginas": "1" });
    expect(tarde.status).toBe(409);
    expect(tarde.html).toContain("Su postulación ya fue registrada; no admite cambios.");
    expect((await listEvidencias(s.db, [postulacionId])).map((v) => v.paginas)).toEqual(["1-3", "1"]);

    // The HR side, after the window: the evaluador of the curricular stage.
    s.clock.advance(25 * HOUR);
    await ensureEvaluacion(s.db, c.id);
    const [curricular] = await s.db.select().from(evaluacionEtapas).where(eq(evaluacionEtapas.convocatoriaId, c.id)).orderBy(asc(evaluacionEtapas.orden));
    const [evaluador, ajenoEv, gestor] = [await createStaff(s, "evaluador"), await createStaff(s, "evaluador"), await createStaff(s, "gestor")];
    await assignDirect(s, curricular!.id, [evaluador.id]);
    const ev = await signedInClient(app, s, { staffId: evaluador.id });
    const archivo = `/admin/postulaciones/${postulacionId}/archivo`;
    const etapa = await ev.get(`/admin/evaluacion/etapas/${curricular!.id}`);
    expect(etapa.status).toBe(200);
    expect(etapa.html).toContain("Requisitos del perfil del puesto");
    expect(etapa.html).toContain(`href="${archivo}/${titulo.documentoId}#page=1"`);
    expect(etapa.html).toContain("págs. 1–3");
    // The disability sustento is never shown to an evaluador, not even as evidence.
    expect(etapa.html).not.toContain(conadis.documentoId);
    const expediente = await ev.get(`/admin/postulaciones/${postulacionId}`);
    expect(expediente.html).toContain(`href="${archivo}/${titulo.documentoId}#page=1"`);
    expect(expediente.html).not.toContain(conadis.documentoId);
    // The link opens the PDF inline (the browser's viewer goes to #page=N).
    const pdf = await fetchBytes(ev, `${archivo}/${titulo.documentoId}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toMatch(/^inline;/);

    // The HR office sees every evidence; an evaluador not assigned sees neither page.
    const rrhh = await signedInClient(app, s, { staffId: gestor.id });
    expect((await rrhh.get(`/admin/postulaciones/${postulacionId}`)).html).toContain(`href="${archivo}/${conadis.documentoId}#page=1"`);
    const fuera = await signedInClient(app, s, { staffId: ajenoEv.id });
    expect((await fuera.get(`/admin/evaluacion/etapas/${curricular!.id}`)).status).toBe(403);
    expect((await fuera.get(`/admin/postulaciones/${postulacionId}`)).status).toBe(404);
    expect((await s.db.select().from(postulaciones).where(eq(postulaciones.id, postulacionId)))[0]!.estado).toBe("registrada");
  });
});
