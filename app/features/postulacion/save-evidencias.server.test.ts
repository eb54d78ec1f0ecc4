import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, postulaciones, postulacionEvidencias } from "~/db/schema";
import { guardarPerfil } from "~/features/convocatorias/convocatoria-datos.server";
import { AppError } from "~/shared/app-error";
import { createPostulante } from "../../../tests/support/accounts";
import { expectRefusal } from "../../../tests/support/errors";
import { pdfText } from "../../../tests/support/pdf-text";
import { normalPdf } from "../../../tests/support/pdfs";
import { HOUR, createConvocatoriaAbierta, readyToFinalize, uploadDirect } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { buildFicha } from "./build-ficha.server";
import { deleteDocumento } from "./delete-documento.server";
import { formatPaginas, parsePaginas } from "./evidencias";
import { listEvidencias } from "./evidencias.server";
import { finalizePostulacion } from "./finalize-postulacion.server";
import { saveEvidencias, type FilaEvidencia } from "./save-evidencias.server";

/** A perfil with four of the five requirements to prove (no "conocimientos") and its competencias. */
const PERFIL = {
  formacionAcademica: "Título profesional en Derecho o Administración.",
  experienciaGeneral: "Cuatro (4) años en el sector público o privado.",
  experienciaEspecifica: "Dos (2) años en gestión documental.",
  cursosEspecializacion: "Curso de archivística (90 horas).",
  conocimientos: "",
  competencias: "Trabajo en equipo.",
};

const fila = (requisito: string, documentoId: string, paginas: string, n = 0): FilaEvidencia => ({ requisito, fila: n, documentoId, paginas });

describe("Sustento de requisitos del perfil (issue 17)", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  async function borrador() {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s);
    await guardarPerfil(s.db, c.id, PERFIL);
    const titulo = await uploadDirect(s, p.id, c.id, "FORMACION_ACADEMICA", await normalPdf(2, "Título profesional"));
    const cert = await uploadDirect(s, p.id, c.id, "EXPERIENCIA", await normalPdf(6, "Certificado de trabajo"));
    return { p, c, titulo, cert, postulacionId: titulo.postulacionId };
  }
  const version = async (id: string) => (await s.db.select().from(postulaciones).where(eq(postulaciones.id, id)))[0]!.documentosVersion;

  it("writes pages as numbers and ranges, ascending and merged", () => {
    expect(formatPaginas(parsePaginas("5, 1-3, 4")!)).toBe("1-5");
    expect(formatPaginas(parsePaginas(" 8 ; 3 – 5 ")!)).toBe("3-5, 8");
    expect(formatPaginas(parsePaginas("2 a 4, 7")!)).toBe("2-4, 7");
    for (const bad of ["", "0", "3-1", "uno", "1-", "-2", "1.5"]) expect(parsePaginas(bad)).toBeNull();
  });

  it("saves each requirement's files and pages, normalised, with the version bump and the audit row", async () => {
    const { p, c, titulo, cert, postulacionId } = await borrador();
    const antes = await version(postulacionId);
    const r = await saveEvidencias({
      services: s, postulanteId: p.id, convocatoriaId: c.id,
      filas: [
        fila("formacionAcademica", titulo.documentoId, "2, 1"),
        fila("experienciaGeneral", cert.documentoId, "4-6, 1-2"),
        // The same file twice for one requirement: one evidence, its pages together.
        fila("experienciaEspecifica", cert.documentoId, "3", 0),
        fila("experienciaEspecifica", cert.documentoId, "5", 1),
        fila("cursosEspecializacion", "", "", 0),
      ],
    });
    expect(r).toEqual({ evidencias: 3 });
    expect(await version(postulacionId)).toBe(antes + 1);
    const guardadas = await listEvidencias(s.db, [postulacionId]);
    expect(guardadas.map((v) => [v.requisito, v.documentoId, v.paginas])).toEqual([
      ["formacionAcademica", titulo.documentoId, "1-2"],
      ["experienciaGeneral", cert.documentoId, "1-2, 4-6"],
      ["experienciaEspecifica", cert.documentoId, "3, 5"],
    ]);
    expect(guardadas[0]).toMatchObject({ tipoNombre: "Sustentos de formación académica", filename: "FORMACION_ACADEMICA.pdf", pages: 3 });
    const [row] = await s.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.event, "postulacion.sustento_guardado"), eq(auditLog.entityId, postulacionId)));
    expect(row).toMatchObject({ actorType: "postulante", actorId: p.id, details: { evidencias: 3, requisitos: ["formacionAcademica", "experienciaGeneral", "experienciaEspecifica"] } });

    // Saving again replaces the whole set: a row emptied is removed.
    await saveEvidencias({ services: s, postulanteId: p.id, convocatoriaId: c.id, filas: [fila("formacionAcademica", titulo.documentoId, "1")] });
    expect((await listEvidencias(s.db, [postulacionId])).map((v) => v.paginas)).toEqual(["1"]);
    // Removing the file from the draft removes its evidence.
    await deleteDocumento({ services: s, postulanteId: p.id, convocatoriaId: c.id, documentoId: titulo.documentoId });
    expect(await listEvidencias(s.db, [postulacionId])).toEqual([]);
  });

  it("names every problem at once, at its field, and saves nothing", async () => {
    const { p, c, titulo, cert, postulacionId } = await borrador();
    const otro = await borrador();
    const antes = await version(postulacionId);
    const error = await saveEvidencias({
      services: s, postulanteId: p.id, convocatoriaId: c.id,
      filas: [
        fila("formacionAcademica", titulo.documentoId, "2-4"),
        fila("experienciaGeneral", cert.documentoId, "uno a tres"),
        fila("experienciaEspecifica", cert.documentoId, ""),
        fila("cursosEspecializacion", "", "2"),
        // Another applicant's file (a forged id): not one of this postulación's.
        fila("cursosEspecializacion", otro.cert.documentoId, "1", 1),
      ],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "postulacion.sustento_invalido", status: 422 });
    expect((error as AppError).fieldErrors()).toEqual({
      "sustento-formacionAcademica-0-paginas": "«FORMACION_ACADEMICA.pdf» tiene 3 páginas: indique páginas entre 1 y 3.",
      "sustento-experienciaGeneral-0-paginas": "Escriba las páginas como números o rangos separados por comas, por ejemplo: 1-3, 5.",
      "sustento-experienciaEspecifica-0-paginas": "Indique las páginas del documento que sustentan este requisito, por ejemplo: 1-3, 5.",
      "sustento-cursosEspecializacion-0-documento": "Elija el documento que sustenta este requisito.",
      "sustento-cursosEspecializacion-1-documento": "Elija uno de los documentos cargados en esta postulación.",
    });
    expect(await listEvidencias(s.db, [postulacionId])).toEqual([]);
    expect(await version(postulacionId)).toBe(antes);
    expect(await listEvidencias(s.db, [otro.postulacionId])).toEqual([]);
  });

  it("takes only the requirements the perfil states (not competencias, not an empty one)", async () => {
    const { p, c, titulo } = await borrador();
    for (const requisito of ["conocimientos", "competencias"]) {
      await expectRefusal(
        saveEvidencias({ services: s, postulanteId: p.id, convocatoriaId: c.id, filas: [fila(requisito, titulo.documentoId, "1")] }),
        "postulacion.sustento_invalido", 422, /no está en el perfil/,
      );
    }
  });

  it("is locked once the postulación is registered, and after the window closes", async () => {
    const p = await createPostulante(s);
    const c = await createConvocatoriaAbierta(s);
    await guardarPerfil(s.db, c.id, PERFIL);
    const postulacionId = await readyToFinalize(s, p.id, c.id, await normalPdf(2, "Documento"));
    const [doc] = await s.db.select().from(postulacionEvidencias).where(eq(postulacionEvidencias.postulacionId, postulacionId));
    expect(doc).toBeUndefined();
    const { documentoId } = await uploadDirect(s, p.id, c.id, "FORMACION_ACADEMICA", await normalPdf(1, "Título"));
    await saveEvidencias({ services: s, postulanteId: p.id, convocatoriaId: c.id, filas: [fila("formacionAcademica", documentoId, "1")] });
    const { confirmDocumentos } = await import("./confirm-documento.server");
    const { documentos } = await import("~/db/schema");
    const ids = (await s.db.select({ id: documentos.id }).from(documentos).where(eq(documentos.postulacionId, postulacionId))).map((d) => d.id);
    await confirmDocumentos({ db: s.db, postulanteId: p.id, postulacionId, confirmados: ids, now: s.clock.now() });
    await finalizePostulacion({ services: s, postulanteId: p.id, convocatoriaId: c.id, declaracion: true, acepto: true });
    await expectRefusal(
      saveEvidencias({ services: s, postulanteId: p.id, convocatoriaId: c.id, filas: [] }),
      "postulacion.ya_registrada", 409, /no admite cambios/,
    );
    expect((await listEvidencias(s.db, [postulacionId])).map((v) => v.paginas)).toEqual(["1"]);

    // A draft whose window has closed.
    const otra = await createConvocatoriaAbierta(s, { fin: new Date(s.clock.now().getTime() + HOUR) });
    await guardarPerfil(s.db, otra.id, PERFIL);
    const d = await uploadDirect(s, p.id, otra.id, "FORMACION_ACADEMICA", await normalPdf(1, "Título"));
    s.clock.advance(2 * HOUR);
    await expectRefusal(
      saveEvidencias({ services: s, postulanteId: p.id, convocatoriaId: otra.id, filas: [fila("formacionAcademica", d.documentoId, "1")] }),
      "postulacion.ventana_cerrada", 409, /plazo/,
    );
  });

  it("lists the map on the ficha's cover, with the pages where the evidence lands in the ficha", async () => {
    const { p, c, titulo, cert, postulacionId } = await borrador();
    await saveEvidencias({
      services: s, postulanteId: p.id, convocatoriaId: c.id,
      filas: [fila("formacionAcademica", titulo.documentoId, "2"), fila("experienciaEspecifica", cert.documentoId, "3-4, 6")],
    });
    const ficha = await buildFicha({ services: s, postulacionId, actorId: p.id });
    const bytes = await s.storage.getBuffer(ficha.key);
    const cover = await pdfText(bytes, { first: 1, last: 1 });
    expect(cover).toMatch(/Sustento de requisitos del perfil/);
    // The cover (1 page), then the título's 3 pages (2–4), then the certificate's 7 (5–11).
    const plano = cover.replace(/\s+/g, " ");
    expect(plano).toMatch(/Formación académica Sustentos de formación académica: FORMACION_ACADEMICA\.pdf 2 3 /);
    expect(plano).toMatch(/Experiencia específica Sustentos de experiencia: EXPERIENCIA\.pdf 3-4, 6 7–8, 10 /);
    // Those pages of the ficha are the título's page 2 and the certificate's pages 3 and 6.
    expect(await pdfText(bytes, { first: 3, last: 3 })).toMatch(/Título profesional — página 2/);
    expect(await pdfText(bytes, { first: 7, last: 7 })).toMatch(/Certificado de trabajo — página 3/);
    expect(await pdfText(bytes, { first: 10, last: 10 })).toMatch(/Certificado de trabajo — página 6/);
  });
});
