import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, tiposDocumento } from "~/db/schema";
import { createPostulante, createStaff, signedInClient } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, upload } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

const MB = 1024 * 1024;

describe("Tipos de documento over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: TestClient;
  let gestor: TestClient;
  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    admin = await signedInClient(app, s, { staffId: (await createStaff(s, "administrador")).id });
    gestor = await signedInClient(app, s, { staffId: (await createStaff(s, "gestor")).id });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const tipo = async (codigo: string) => (await s.db.select().from(tiposDocumento).where(eq(tiposDocumento.codigo, codigo)))[0]!;
  /** The labels of the convocatoria form's document rows, in the page's order. */
  const filasDelFormulario = (html: string) =>
    [...html.matchAll(/<label for="campo-doc-([^"]+)">([^<]+)</g)].map((m) => [m[1], m[2]!.replace(/&#x27;/g, "'")]);

  it("is the administrador's: the gestor gets 403 for the page and its actions, and no link to it", async () => {
    expect((await gestor.get("/admin/tipos-documento")).status).toBe(403);
    expect((await gestor.get("/admin/tipos-documento/FICHA_CURRICULAR")).status).toBe(403);
    await gestor.get("/admin");
    expect((await gestor.post("/admin/tipos-documento", { intent: "agregar", nombre: "Sustento de gestor", tamanoMb: "5" })).status).toBe(403);
    expect((await gestor.post("/admin/tipos-documento/FICHA_CURRICULAR", { nombre: "Otra", tamanoMb: "5" })).status).toBe(403);
    expect((await gestor.get("/admin")).html).not.toContain('href="/admin/tipos-documento"');
    expect((await admin.get("/admin")).html).toContain('href="/admin/tipos-documento"');
    expect((await tipo("FICHA_CURRICULAR")).nombre).toBe("Ficha Curricular");
  });

  it("refuses bad input with Spanish messages at the field and in the summary (422), and a post without its CSRF token (403)", async () => {
    const page = await admin.get("/admin/tipos-documento");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Sustentos de formación académica");
    const bad = await admin.post("/admin/tipos-documento", { intent: "agregar", nombre: "ab", tamanoMb: "25" });
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Revise los datos ingresados");
    expect(bad.html).toMatch(/id="campo-nombre-error"[^>]*>.*al menos 3 caracteres/s);
    expect(bad.html).toMatch(/id="campo-tamanoMb-error"[^>]*>.*un número entero de 1 a 20/s);
    expect(bad.html).toContain('href="#campo-tamanoMb"');
    const repeated = await admin.post("/admin/tipos-documento/EXPERIENCIA", { nombre: "ficha curricular", tamanoMb: "5" });
    expect(repeated.status).toBe(409);
    expect(repeated.html).toContain("Ya existe un tipo de documento llamado «ficha curricular».");
    const retirar = await admin.post("/admin/tipos-documento", { intent: "retirar", tipo: "DNI" });
    expect(retirar.status).toBe(409);
    expect(retirar.html).toContain("no se puede retirar");
    expect((await admin.post("/admin/tipos-documento", { intent: "agregar", nombre: "Sin token", tamanoMb: "5" }, { csrf: null })).status).toBe(403);
    expect((await s.db.select().from(tiposDocumento)).map((t) => t.nombre)).not.toContain("Sin token");
  });

  it("the administrador renames, adds, orders and retires; audited; the convocatoria form offers the active types in order with the new names", async () => {
    await admin.get("/admin/tipos-documento/FICHA_CURRICULAR");
    const saved = await admin.post("/admin/tipos-documento/FICHA_CURRICULAR", { nombre: "Ficha curricular (formato SERVIR)", tamanoMb: "2", obligatorio: "on" });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe("/admin/tipos-documento?aviso=guardado");
    expect(await tipo("FICHA_CURRICULAR")).toMatchObject({ nombre: "Ficha curricular (formato SERVIR)", maxBytes: 2 * MB, requeridoPorDefecto: true });

    await admin.get("/admin/tipos-documento");
    expect((await admin.post("/admin/tipos-documento", { intent: "agregar", nombre: "Sustento de colegiatura", tamanoMb: "3" })).status).toBe(302);
    expect((await admin.post("/admin/tipos-documento", { intent: "subir", tipo: "SUSTENTO_DE_COLEGIATURA" })).status).toBe(302);
    expect((await admin.post("/admin/tipos-documento", { intent: "retirar", tipo: "CURSOS_CAPACITACIONES" })).status).toBe(302);
    const list = (await admin.get("/admin/tipos-documento?aviso=retirado")).html;
    expect(list).toContain("Tipo retirado");
    expect(list).toContain("Sustento de colegiatura");

    const events = await s.db
      .select({ event: auditLog.event, entityId: auditLog.entityId })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, "tipo_documento")));
    expect(events).toEqual(
      expect.arrayContaining([
        { event: "tipo_documento.actualizado", entityId: "FICHA_CURRICULAR" },
        { event: "tipo_documento.creado", entityId: "SUSTENTO_DE_COLEGIATURA" },
        { event: "tipo_documento.reordenado", entityId: "SUSTENTO_DE_COLEGIATURA" },
        { event: "tipo_documento.retirado", entityId: "CURSOS_CAPACITACIONES" },
      ]),
    );

    // In the audit log, in words, with a link to the type.
    const log = (await admin.get("/admin/auditoria")).html;
    expect(log).toContain("Modificó un tipo de documento del catálogo");
    expect(log).toContain("Agregó un tipo de documento al catálogo");
    expect(log).toContain('href="/admin/tipos-documento/FICHA_CURRICULAR"');
    expect(log).toContain("campos: nombre, maxBytes");

    const form = (await gestor.get("/admin/convocatorias/nueva")).html;
    expect(filasDelFormulario(form)).toEqual([
      ["IDENTIDAD", "Documento de identidad (DNI para peruanos; Carnet de extranjería / otro para extranjeros)"],
      ["FICHA_CURRICULAR", "Ficha curricular (formato SERVIR)"],
      ["FORMACION_ACADEMICA", "Sustentos de formación académica"],
      ["EXPERIENCIA", "Sustentos de experiencia"],
      ["LICENCIADO_FFAA", "Sustento de Personal licenciado(a) de las Fuerzas Armadas"],
      ["DISCAPACIDAD_CONADIS", "Sustento de Persona con Discapacidad (CONADIS)"],
      ["DEPORTISTA_ALTO_NIVEL", "Sustento de Deportista Calificado de Alto Nivel"],
      ["SUSTENTO_DE_COLEGIATURA", "Sustento de colegiatura"],
      ["DECLARACIONES_JURADAS", "Declaraciones Juradas"],
    ]);
    // "Opcional" by default: the new type was added without "Obligatorio por defecto".
    expect(form).toMatch(/name="doc-SUSTENTO_DE_COLEGIATURA"[^>]*>(?:(?!<\/select>).)*<option value="opcional" selected=""/s);
  });

  it("an applicant's upload is bounded by the limit the convocatoria kept (413, the limit named), whatever the catalogue says later", async () => {
    // Picked at 2 MB (the rename above); the catalogue then allows 20 MB and renames the type again.
    const c = await createConvocatoriaAbierta(s);
    await admin.get("/admin/tipos-documento/FICHA_CURRICULAR");
    expect((await admin.post("/admin/tipos-documento/FICHA_CURRICULAR", { nombre: "Ficha curricular 2027", tamanoMb: "20", obligatorio: "on" })).status).toBe(302);

    const client = await signedInClient(app, s, { postulanteId: (await createPostulante(s)).id });
    const page = await client.get(`/postulacion/${c.id}`);
    expect(page.html).toContain("Ficha curricular (formato SERVIR)");
    expect(page.html).not.toContain("Ficha curricular 2027");
    const bytes = Buffer.concat([Buffer.from(await normalPdf(1)), Buffer.alloc(3 * MB)]);
    const res = await upload(client, `/postulacion/${c.id}`, "FICHA_CURRICULAR", bytes);
    expect(res.status).toBe(413);
    expect(res.html).toContain("El archivo supera el tamaño máximo de 2 MB");
    const ok = await upload(client, `/postulacion/${c.id}`, "FICHA_CURRICULAR", await normalPdf(1));
    expect(ok.status).toBe(302);
  });
});
