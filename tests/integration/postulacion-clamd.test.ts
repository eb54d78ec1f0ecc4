import { readdirSync } from "node:fs";
import path from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, postulaciones } from "~/db/schema";
import { createPostulante } from "../support/accounts";
import { EICAR, eicarPdf, startClamd, type TestClamd } from "../support/clamd";
import { startTestApp } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, fetchBytes, signIn, upload } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * With CLAMD_URL set, every upload is scanned by a real clamd on loopback (INSTREAM) before
 * it is accepted, through the real HTTP upload routes (issue 4, "Files").
 */
describe("Postulación uploads with the antivirus (real clamd)", { timeout: 120_000 }, () => {
  let clamd: TestClamd;
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    clamd = await startClamd();
    s = await createTestServices({ env: { CLAMD_URL: clamd.url } });
    app = await startTestApp(s);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await s?.close();
    await clamd?.stop();
  });

  const storedFiles = () => {
    try {
      return readdirSync(path.join(s.config.dataDir, "files"), { recursive: true, withFileTypes: true }).filter((d) => d.isFile());
    } catch {
      return [];
    }
  };

  async function draft() {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const client = await signIn(s, app.client(), p);
    await client.get(`/postulacion/${c.id}`);
    const [row] = await s.db
      .select()
      .from(postulaciones)
      .where(and(eq(postulaciones.postulanteId, p.id), eq(postulaciones.convocatoriaId, c.id)));
    return { c, client, postulacionId: row!.id };
  }
  const docsOf = (postulacionId: string) => documentosDe(s.db, postulacionId);
  const uploadsAudited = (postulacionId: string) =>
    s.db.select().from(auditLog).where(and(eq(auditLog.entityId, postulacionId), eq(auditLog.event, "documento.cargado")));

  it("refuses an infected PDF with 'El archivo contiene un virus' and keeps nothing", async () => {
    const { c, client, postulacionId } = await draft();
    const before = storedFiles().length;
    const res = await upload(client, `/postulacion/${c.id}`, "DNI", eicarPdf(), { filename: "dni.pdf" });
    expect(res.status).toBe(422);
    expect(res.html).toContain("El archivo contiene un virus");
    expect(res.html).toContain("error-summary");
    // The same through the XMLHttpRequest route.
    const xhr = await upload(client, `/postulacion/${c.id}/cargar`, "DNI", eicarPdf(), { headers: { accept: "application/json" } });
    expect(xhr.status).toBe(422);
    expect(JSON.parse(xhr.html)).toEqual({ ok: false, errors: { archivo: "El archivo contiene un virus" } });
    expect(await docsOf(postulacionId)).toHaveLength(0);
    expect(await uploadsAudited(postulacionId)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
  });

  it("refuses the bare EICAR test file as a virus (scanned before the PDF check) and keeps nothing", async () => {
    const { c, client, postulacionId } = await draft();
    const before = storedFiles().length;
    const res = await upload(client, `/postulacion/${c.id}`, "DNI", Buffer.from(EICAR), { filename: "eicar.pdf" });
    expect(res.status).toBe(422);
    // The antivirus runs before the PDF inspection: the virus is what the applicant hears of.
    expect(res.html).toContain("El archivo contiene un virus");
    expect(await docsOf(postulacionId)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
  });

  it("accepts a clean PDF with the antivirus on, kept and served as received", async () => {
    const { c, client, postulacionId } = await draft();
    const bytes = await normalPdf(2, "DNI");
    const res = await upload(client, `/postulacion/${c.id}`, "DNI", bytes, { filename: "dni.pdf" });
    expect(res.status, res.html.slice(0, 500)).toBe(302);
    expect(res.headers.get("location")).toBe(`/postulacion/${c.id}?cargado=1`);
    const [doc] = await docsOf(postulacionId);
    expect(doc?.tipo).toBe("DNI");
    expect(await uploadsAudited(postulacionId)).toHaveLength(1);
    const ver = await fetchBytes(client, `/postulacion/documentos/${doc!.id}`);
    expect(Buffer.compare(ver.bytes, Buffer.from(bytes))).toBe(0);
  });

  it("refuses uploads with 503 while clamd cannot be reached, never accepting a file unscanned", async () => {
    const { c, client, postulacionId } = await draft();
    await clamd.stop();
    const before = storedFiles().length;
    const res = await upload(client, `/postulacion/${c.id}`, "DNI", await normalPdf(1), { filename: "dni.pdf" });
    expect(res.status).toBe(503);
    expect(res.html).toContain("No se pudo revisar el archivo con el antivirus");
    expect(await docsOf(postulacionId)).toHaveLength(0);
    expect(storedFiles().length).toBe(before);
  });
});
