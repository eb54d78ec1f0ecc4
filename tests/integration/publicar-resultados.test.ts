import { and, eq, like } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, publicaciones } from "~/db/schema";
import { createStaff, signedInClient, type TestStaff } from "../support/accounts";
import { assignDirect, score, setupEvaluacion, type PostulacionFixture } from "../support/evaluacion";
import { startTestApp, type TestClient } from "../support/http";
import { pdfText } from "../support/pdf-text";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Issue 14, "Publishing that cannot go wrong silently", for results: a preview of exactly what
 * becomes public (the list and its PDF) and whom it e-mails, published only on confirmation
 * and only as previewed; a correction is a fe de erratas that keeps the earlier version public
 * and e-mails only those whose row changed.
 */
describe("Publicar resultados: preview, confirmation, fe de erratas", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let gestor: TestStaff, ev1: TestStaff;
  let g: TestClient;
  let convId: string, curricularId: string;
  let a: PostulacionFixture, b: PostulacionFixture;

  const texto = (html: string) => html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ");
  const preview = (alcance: string, extra: Record<string, string> = {}) => g.get(`/admin/convocatorias/${convId}/evaluacion/publicar?${new URLSearchParams({ alcance, ...extra })}`);
  const huellaDe = (html: string) => /name="huella" value="([0-9a-f]{64})"/.exec(html)![1]!;
  const versiones = () => s.db.select().from(publicaciones).where(eq(publicaciones.convocatoriaId, convId));

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    gestor = await createStaff(s, "gestor");
    ev1 = await createStaff(s, "evaluador");
    const setup = await setupEvaluacion(s, 2);
    convId = setup.conv.id;
    curricularId = setup.curricular.id;
    [a, b] = setup.ps as [PostulacionFixture, PostulacionFixture];
    await assignDirect(s, curricularId, [ev1.id]);
    await score(s, ev1, curricularId, [[a, "40"], [b, "45"]]);
    g = await signedInClient(app, s, { staffId: gestor.id });
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  it("previews the list and its PDF, writes nothing, and says whom it e-mails", async () => {
    const page = await preview(curricularId, { referenciaActa: "Acta N° 003-2026-CS" });
    expect(page.status).toBe(200);
    const t = texto(page.html);
    expect(t).toContain("Vista previa de la publicación");
    expect(t).toContain("se enviará un correo a 2 postulantes");
    expect(t).toContain(`${a.apellidoPaterno} Prueba, ${a.nombres}`);
    expect(t).toContain("45.00");
    expect(await versiones()).toHaveLength(0);
    const pdfHref = /href="([^"]+\/evaluacion\/publicar\/pdf\?[^"]+)"/.exec(page.html)![1]!.replaceAll("&amp;", "&");
    const pdf = await fetch(`${app.baseUrl}${pdfHref}`, { headers: { cookie: [...g.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const pdfTexto = await pdfText(new Uint8Array(await pdf.arrayBuffer()));
    expect(pdfTexto).toContain("Acta N° 003-2026-CS");
    expect(pdfTexto).toContain(`${a.apellidoPaterno} Prueba, ${a.nombres}`);
    expect(await versiones()).toHaveLength(0);
    expect(await s.db.select().from(outbox).where(like(outbox.causeKey, "resultados:%"))).toHaveLength(0);
  });

  it("is the HR office's: an evaluador gets 403, a visitor is sent to sign in", async () => {
    const evaluador = await signedInClient(app, s, { staffId: ev1.id });
    expect((await evaluador.get(`/admin/convocatorias/${convId}/evaluacion/publicar?alcance=${curricularId}`)).status).toBe(403);
    expect((await evaluador.post(`/admin/convocatorias/${convId}/evaluacion/publicar`, { alcance: curricularId, huella: "0".repeat(64) })).status).toBe(403);
    expect((await app.client().get(`/admin/convocatorias/${convId}/evaluacion/publicar?alcance=${curricularId}`)).status).toBe(302);
  });

  it("publishes only what the preview showed: rows changed since are refused (409), the previewed ones published", async () => {
    const page = await preview(curricularId);
    const huella = huellaDe(page.html);
    const stale = await g.post(`/admin/convocatorias/${convId}/evaluacion/publicar`, { alcance: curricularId, huella: "f".repeat(64) });
    expect(stale.status).toBe(409);
    expect(texto(stale.html)).toContain("Los resultados cambiaron después de la vista previa");
    expect(await versiones()).toHaveLength(0);
    const ok = await g.post(`/admin/convocatorias/${convId}/evaluacion/publicar`, { alcance: curricularId, huella, referenciaActa: "Acta N° 003-2026-CS" });
    expect(ok.status).toBe(302);
    expect(ok.headers.get("location")).toBe(`/admin/convocatorias/${convId}/evaluacion?aviso=publicada`);
    expect(await versiones()).toHaveLength(1);
    const [v1] = await versiones();
    expect(await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${v1!.id}:%`))).toHaveLength(2);
  });

  it("corrects a published list only by a fe de erratas: a reason, the earlier version kept public and marked, e-mails only to rows that changed", async () => {
    const page = await preview(curricularId);
    const t = texto(page.html);
    expect(t).toContain("fe de erratas (versión 2)");
    expect(t).toContain("La versión 1 seguirá publicada, marcada como corregida por esta.");
    expect(t).toContain("nadie: ninguna fila cambia.");
    expect(t).toContain("se enviará un correo a 0 postulantes");
    const huella = huellaDe(page.html);
    const sinMotivo = await g.post(`/admin/convocatorias/${convId}/evaluacion/publicar`, { alcance: curricularId, huella });
    expect(sinMotivo.status).toBe(422);
    expect(texto(sinMotivo.html)).toContain("Indique el motivo de la nueva publicación");
    const conMotivo = await g.post(`/admin/convocatorias/${convId}/evaluacion/publicar`, { alcance: curricularId, huella, motivo: "Se corrige la referencia del acta" });
    expect(conMotivo.status).toBe(302);
    const v2 = (await versiones()).find((v) => v.version === 2)!;
    expect(v2.motivo).toBe("Se corrige la referencia del acta");
    // Nobody's row changed: nobody is e-mailed.
    expect(await s.db.select().from(outbox).where(like(outbox.causeKey, `resultados:${v2.id}:%`))).toHaveLength(0);
    // The public page: the fe de erratas and the earlier version, with its PDF.
    const pub = texto((await app.client().get(`/convocatorias/${convId}`)).html);
    expect(pub).toContain("Fe de erratas: esta versión 2 corrige la anterior. Motivo: Se corrige la referencia del acta");
    expect(pub).toContain("Versión anterior (corregida)");
    expect(pub).toContain("Versión 1, publicada el");
    const v1 = (await versiones()).find((v) => v.version === 1)!;
    expect((await app.client().get(`/convocatorias/${convId}/resultados/${v1.id}`)).status).toBe(200);
    expect(await s.db.select().from(publicaciones).where(and(eq(publicaciones.convocatoriaId, convId), eq(publicaciones.alcance, curricularId)))).toHaveLength(2);
  });

  it("says why a list cannot be published yet instead of previewing it", async () => {
    const page = await preview("final");
    expect(page.status).toBe(409);
    expect(texto(page.html)).toContain("Todavía no se puede publicar esta lista");
  });
});
