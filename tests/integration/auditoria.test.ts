import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { createPostulante, createStaff, type TestPostulante } from "../support/accounts";
import { makeConvocatoria, signIn } from "../support/convocatorias";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/** The rendered table only (the filter's drop-down names every action too; the page's data follows it). */
const registro = (html: string) => html.slice(html.indexOf('<section aria-labelledby="registro"'), html.indexOf("</section>", html.indexOf('<section aria-labelledby="registro"')));

/** The audit-log viewer and its CSV (issue 14): administrador only, filters, plain words, no document number in a URL. */
describe("Auditoría", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let admin: TestClient;
  let gestorClient: TestClient;
  let gestorId: string;
  let convocatoriaId: string;
  let postulante: TestPostulante;

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    const a = await createStaff(s, "administrador", { nombre: "Ana Torres" });
    // A name a spreadsheet would run as a formula: the CSV must keep it text.
    const g = await createStaff(s, "gestor", { nombre: "=HYPERLINK(\"http://x\")" });
    gestorId = g.id;
    admin = app.client();
    await signIn(s, admin, { staffId: a.id });
    gestorClient = app.client();
    await signIn(s, gestorClient, { staffId: g.id });
    ({ id: convocatoriaId } = await makeConvocatoria(s, g.id));
    postulante = await createPostulante(s, { nombres: "Lucía", apellidoPaterno: "Quispe", apellidoMaterno: "Rojas" });
    const actor = { type: "postulante" as const, id: postulante.id };
    await audit(s.db, actor, "postulante.perfil_actualizado", { type: "postulante", id: postulante.id }, { fields: ["celular"] });
    await audit(s.db, actor, "postulante.password_cambiado", { type: "postulante", id: postulante.id });
    await admin.get("/admin/auditoria");
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it("is the administrador's: a gestor gets 403 for the page and the CSV, a visitor is sent to sign in", async () => {
    expect((await gestorClient.get("/admin/auditoria")).status).toBe(403);
    expect((await gestorClient.get("/admin/auditoria/csv")).status).toBe(403);
    expect((await app.client().get("/admin/auditoria")).status).toBe(302);
  });

  it("says who did what, when and about what, in words, newest first", async () => {
    const page = await admin.get("/admin/auditoria");
    expect(page.status).toBe(200);
    expect(page.html).toContain("Publicó la convocatoria");
    expect(page.html).toContain("Creó la convocatoria como borrador");
    expect(page.html).toContain("(gestor)");
    expect(page.html).toContain(`href="/admin/convocatorias/${convocatoriaId}"`);
    expect(page.html).toContain("Lucía Quispe Rojas (postulante)");
    expect(page.html).toContain("Cambió su contraseña");
    expect(page.html.indexOf("Cambió su contraseña")).toBeLessThan(page.html.indexOf("Creó la convocatoria como borrador"));
    expect(page.html).toContain("fields: celular");
  });

  it("filters by staff member, action and date", async () => {
    const byGestor = await admin.get(`/admin/auditoria?personal=${gestorId}`);
    expect(registro(byGestor.html)).toContain("Publicó la convocatoria");
    expect(registro(byGestor.html)).not.toContain("Cambió su contraseña");
    const byAction = await admin.get("/admin/auditoria?accion=convocatoria.publicada");
    expect(registro(byAction.html)).toContain("Publicó la convocatoria");
    expect(registro(byAction.html)).not.toContain("Creó la convocatoria como borrador");
    const future = await admin.get("/admin/auditoria?desde=2099-01-01");
    expect(future.html).toContain("No hay acciones registradas con esos filtros.");
    const today = new Date(s.clock.now().getTime() - 5 * 3600 * 1000).toISOString().slice(0, 10);
    expect((await admin.get(`/admin/auditoria?desde=${today}&hasta=${today}`)).html).toContain("Publicó la convocatoria");
    // Malformed filters are dropped, not a 500.
    expect((await admin.get("/admin/auditoria?personal=x&accion=DROP&desde=ayer&antesDe=-1")).status).toBe(200);
  });

  it("finds an applicant by document number through a POST, and the URL carries their id, never the number", async () => {
    const found = await admin.post("/admin/auditoria", { numeroDocumento: postulante.numeroDocumento, query: "accion=postulante.password_cambiado" });
    expect(found.status).toBe(302);
    const location = found.headers.get("location")!;
    expect(location).toContain(`postulante=${postulante.id}`);
    expect(location).toContain("accion=postulante.password_cambiado");
    expect(location).not.toContain(postulante.numeroDocumento);
    const page = await admin.get(location);
    expect(page.html).toContain("Mostrando solo lo de Lucía Quispe Rojas");
    expect(registro(page.html)).toContain("Cambió su contraseña");
    expect(registro(page.html)).not.toContain("Actualizó sus datos de contacto");
    expect(registro(page.html)).not.toContain("Publicó la convocatoria");
    const unknown = await admin.post("/admin/auditoria", { numeroDocumento: "00000001" });
    expect(unknown.status).toBe(422);
    expect(unknown.html).toContain("No hay un postulante con ese número de documento.");
    expect((await admin.post("/admin/auditoria", { numeroDocumento: postulante.numeroDocumento }, { csrf: "forged" })).status).toBe(403);
  });

  it("pages 50 rows at a time by 'older than the last shown'", async () => {
    for (let i = 0; i < 60; i++) {
      await audit(s.db, { type: "staff", id: gestorId }, "documento.visto", { type: "postulacion", id: null }, { tipo: `pagina-${i}` });
    }
    const first = await admin.get("/admin/auditoria?accion=documento.visto");
    expect(registro(first.html).match(/tipo: pagina-/g)).toHaveLength(50);
    expect(registro(first.html)).toContain("tipo: pagina-59");
    const next = /href="(\/admin\/auditoria\?[^"]*antesDe=\d+)"/.exec(registro(first.html))![1]!.replaceAll("&amp;", "&");
    const second = await admin.get(next);
    expect(registro(second.html).match(/tipo: pagina-/g)).toHaveLength(10);
    expect(registro(second.html)).toContain("tipo: pagina-0<");
    expect(registro(second.html)).not.toContain("Ver acciones más antiguas");
  });

  it("exports the filtered rows as CSV: BOM, Lima time, formulas kept as text, and the export audited", async () => {
    const res = await admin.get(`/admin/auditoria/csv?personal=${gestorId}&accion=convocatoria.publicada`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="auditoria-[0-9-]+\.csv"(; filename\*=UTF-8''auditoria-[0-9-]+\.csv)?$/);
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const cookie = [...admin.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const bytes = new Uint8Array(await (await fetch(`${app.baseUrl}/admin/auditoria/csv?personal=${gestorId}`, { headers: { cookie } })).arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.html.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(lines[0]).toBe("Fecha y hora (Lima),Quién,Acción,Código de la acción,Sobre qué,Detalle");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("Publicó la convocatoria");
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://x"") (gestor)"`);
    expect(lines[1]).toMatch(/^"\d{2}\/\d{2}\/\d{4}, \d{2}:\d{2}"/);
    const exported = await s.db.select().from(auditLog).where(eq(auditLog.event, "auditoria.exportada"));
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(exported[0]!.details).toMatchObject({ filtros: "personal, accion" });
  });
});
