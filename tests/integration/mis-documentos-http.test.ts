import { readdirSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { archivos, postulaciones } from "~/db/schema";
import { saveAndFinalizePostulacion } from "~/features/postulacion/save-and-finalize-postulacion.server";
import { createPostulante } from "../support/accounts";
import { startTestApp } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, documentosDe, readyToFinalize, signIn, upload } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * The form posts of issue 17 over real HTTP with the no-JS client: "Usar un documento guardado",
 * Subir/Bajar in a postulación, Eliminar in /mis-documentos — each needs its CSRF token, answers
 * 404 for another applicant's file, 409 once the postulación is registered, and says why in Spanish.
 */
describe("Mis documentos over HTTP", { timeout: 120_000 }, () => {
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

  async function applicant() {
    const p = await createPostulante(s);
    const client = await signIn(s, app.client(), p);
    return { p, client };
  }
  const storedFiles = () => {
    try {
      return readdirSync(path.join(s.config.dataDir, "files"), { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    } catch {
      return 0;
    }
  };
  const draftOf = async (postulanteId: string, convocatoriaId: string) =>
    (await s.db.select().from(postulaciones).where(and(eq(postulaciones.postulanteId, postulanteId), eq(postulaciones.convocatoriaId, convocatoriaId))))[0]!;
  const archivoOf = async (postulanteId: string) => (await s.db.select().from(archivos).where(eq(archivos.postulanteId, postulanteId)))[0]!;
  /** A registered postulación of `postulanteId` whose three required types use one saved file. */
  async function registrada(postulanteId: string) {
    const c = await createConvocatoriaAbierta(s);
    const postulacionId = await readyToFinalize(s, postulanteId, c.id, await normalPdf(1, `Registrada ${c.id}`));
    const confirmados = (await documentosDe(s.db, postulacionId)).map((d) => d.id);
    await saveAndFinalizePostulacion({ services: s, postulanteId, convocatoriaId: c.id, postulacionId, confirmados, declaracion: true, paso: "aceptar", acepto: true });
    return { c, postulacionId, docs: await documentosDe(s.db, postulacionId) };
  }

  it("«Usar un documento guardado» adds a saved file to a second postulación without new bytes; CSRF, owner, repeats and registered refused", async () => {
    const { p, client } = await applicant();
    const c1 = await createConvocatoriaAbierta(s);
    const c2 = await createConvocatoriaAbierta(s);
    await client.get(`/postulacion/${c1.id}`);
    expect((await upload(client, `/postulacion/${c1.id}`, "DNI", await normalPdf(2, "DNI de Ana"), { filename: "dni.pdf" })).status).toBe(302);
    const archivo = await archivoOf(p.id);
    const files = storedFiles();

    const page = await client.get(`/postulacion/${c2.id}`);
    expect(page.html).toContain("Usar un documento guardado");
    expect(page.html).toMatch(/<label[^>]*>[^<]*Documento guardado/);
    const usar = { intent: "usar-guardado", tipoGuardado: "DNI", archivoId: archivo.id };

    // Without its CSRF token: 403, nothing added.
    expect((await client.post(`/postulacion/${c2.id}`, usar, { csrf: "forged" })).status).toBe(403);
    expect(await documentosDe(s.db, (await draftOf(p.id, c2.id)).id)).toHaveLength(0);

    // Another applicant naming this file: 404, nothing added to theirs.
    const other = await applicant();
    await other.client.get(`/postulacion/${c2.id}`);
    const ajeno = await other.client.post(`/postulacion/${c2.id}`, usar);
    expect(ajeno.status).toBe(404);
    expect(ajeno.html).toContain("Elija uno de sus documentos guardados.");
    expect(await documentosDe(s.db, (await draftOf(other.p.id, c2.id)).id)).toHaveLength(0);

    // The owner: added, unconfirmed, same stored file; no new bytes.
    const ok = await client.post(`/postulacion/${c2.id}`, usar);
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/postulacion/${c2.id}?guardado=1`);
    const after = await client.get(ok.headers.get("location")!);
    expect(after.html).toContain("Documento guardado agregado. Marque su casilla «CONFIRMAR DOCUMENTO CARGADO».");
    const [doc] = await documentosDe(s.db, (await draftOf(p.id, c2.id)).id);
    expect(doc).toMatchObject({ tipo: "DNI", archivoId: archivo.id, originalKey: archivo.originalKey, confirmadoAt: null });
    expect(storedFiles()).toBe(files);

    // The same file again in that type: 409, said at the field and in the summary, in Spanish.
    const repetido = await client.post(`/postulacion/${c2.id}`, usar);
    expect(repetido.status).toBe(409);
    expect(repetido.html.match(/Ese archivo ya está cargado en este tipo de documento\./g)?.length).toBeGreaterThanOrEqual(2);
    expect(repetido.html).toMatch(/id="campo-archivoId"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="campo-archivoId"/);

    // No type chosen: refused at "Usar como".
    const sinTipo = await client.post(`/postulacion/${c2.id}`, { ...usar, tipoGuardado: "" });
    expect(sinTipo.status).toBe(422);
    expect(sinTipo.html).toContain("Seleccione el tipo de documento.");

    // A registered postulación takes no file: 409.
    const r = await registrada(p.id);
    await client.get(`/postulacion/${r.c.id}`);
    const cerrada = await client.post(`/postulacion/${r.c.id}`, { ...usar, tipoGuardado: "EXPERIENCIA" });
    expect(cerrada.status).toBe(409);
    expect(await documentosDe(s.db, r.postulacionId)).toHaveLength(r.docs.length);
  });

  it("Subir/Bajar swap two files of one type (the ficha's order); CSRF, owner and registered refused", async () => {
    const { p, client } = await applicant();
    const c = await createConvocatoriaAbierta(s);
    await client.get(`/postulacion/${c.id}`);
    for (const n of [1, 2]) {
      const res = await upload(client, `/postulacion/${c.id}`, "EXPERIENCIA", await normalPdf(1, `Certificado ${n}`), { filename: `certificado-${n}.pdf` });
      expect(res.headers.get("location")).toBe(`/postulacion/${c.id}?cargado=1`);
    }
    const draft = await draftOf(p.id, c.id);
    const names = async () => (await documentosDe(s.db, draft.id)).map((d) => d.filename);
    expect(await names()).toEqual(["certificado-1.pdf", "certificado-2.pdf"]);
    const [first, second] = await documentosDe(s.db, draft.id);

    // The table offers Bajar on the first, Subir on the second, named by file.
    const page = await client.get(`/postulacion/${c.id}`);
    const boton = (label: string, filename: string) =>
      new RegExp(`<button [^>]*name="${label.toLowerCase()}"[^>]*>${label}<span class="visually-hidden"> (<!-- -->)?Sustentos de experiencia: ${filename.replace(".", "\\.")}</span>`);
    expect(page.html).toMatch(boton("Bajar", "certificado-1.pdf"));
    expect(page.html).toMatch(boton("Subir", "certificado-2.pdf"));
    expect(page.html).not.toMatch(boton("Subir", "certificado-1.pdf"));
    expect(page.html).not.toMatch(boton("Bajar", "certificado-2.pdf"));

    expect((await client.post(`/postulacion/${c.id}`, { bajar: first!.id }, { csrf: "forged" })).status).toBe(403);
    expect(await names()).toEqual(["certificado-1.pdf", "certificado-2.pdf"]);

    const other = await applicant();
    await other.client.get(`/postulacion/${c.id}`);
    expect((await other.client.post(`/postulacion/${c.id}`, { bajar: first!.id })).status).toBe(404);
    expect(await names()).toEqual(["certificado-1.pdf", "certificado-2.pdf"]);

    const bajar = await client.post(`/postulacion/${c.id}`, { bajar: first!.id });
    expect(bajar.status).toBe(302);
    expect(bajar.headers.get("location")).toBe(`/postulacion/${c.id}?movido=1`);
    expect((await client.get(bajar.headers.get("location")!)).html).toContain("Orden de los documentos guardado.");
    expect(await names()).toEqual(["certificado-2.pdf", "certificado-1.pdf"]);
    expect((await client.post(`/postulacion/${c.id}`, { subir: first!.id })).status).toBe(302);
    expect(await names()).toEqual(["certificado-1.pdf", "certificado-2.pdf"]);
    expect(second).toBeDefined();

    // A registered postulación's order never changes: 409.
    const r = await registrada(p.id);
    await client.get(`/postulacion/${r.c.id}`);
    const before = (await documentosDe(s.db, r.postulacionId)).map((d) => d.id);
    const cerrada = await client.post(`/postulacion/${r.c.id}`, { bajar: r.docs[0]!.id });
    expect(cerrada.status).toBe(409);
    expect((await documentosDe(s.db, r.postulacionId)).map((d) => d.id)).toEqual(before);
  });

  it("Eliminar in Mis documentos: CSRF, another applicant 404, a registered postulación's file 409 in Spanish; a draft's file goes, with its bytes", async () => {
    const { p, client } = await applicant();
    const r = await registrada(p.id);
    const enUso = r.docs[0]!.archivoId;

    const page = await client.get("/mis-documentos");
    expect(page.status).toBe(200);
    expect(page.html).toContain("No se puede eliminar: es parte de una postulación registrada.");

    // A file of a draft.
    const c = await createConvocatoriaAbierta(s);
    await client.get(`/postulacion/${c.id}`);
    expect((await upload(client, `/postulacion/${c.id}`, "EXPERIENCIA", await normalPdf(1, "Borrable"), { filename: "borrable.pdf" })).status).toBe(302);
    const draft = await draftOf(p.id, c.id);
    const [suelto] = await documentosDe(s.db, draft.id);
    const files = storedFiles();
    await client.get("/mis-documentos");

    expect((await client.post("/mis-documentos", { intent: "eliminar", archivoId: suelto!.archivoId }, { csrf: "forged" })).status).toBe(403);
    const other = await applicant();
    await other.client.get("/mis-documentos");
    const ajeno = await other.client.post("/mis-documentos", { intent: "eliminar", archivoId: suelto!.archivoId });
    expect(ajeno.status).toBe(404);
    expect(ajeno.html).toContain("No encontramos ese documento en Mis documentos.");
    expect(await documentosDe(s.db, draft.id)).toHaveLength(1);

    const refused = await client.post("/mis-documentos", { intent: "eliminar", archivoId: enUso });
    expect(refused.status).toBe(409);
    expect(refused.html).toContain("No se puede eliminar: este documento forma parte de una postulación registrada, que no admite cambios.");
    expect(await documentosDe(s.db, r.postulacionId)).toHaveLength(r.docs.length);

    const ok = await client.post("/mis-documentos", { intent: "eliminar", archivoId: suelto!.archivoId });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe("/mis-documentos?eliminado=1");
    expect((await client.get("/mis-documentos?eliminado=1")).html).toContain("Documento eliminado de Mis documentos.");
    expect(await documentosDe(s.db, draft.id)).toHaveLength(0);
    expect(storedFiles()).toBe(files - 1);
    expect((await client.get(`/mis-documentos/${suelto!.archivoId}`)).status).toBe(404);
  });
});
