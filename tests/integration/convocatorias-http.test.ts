import { eq, inArray, sql } from "drizzle-orm";
// fast-xml-parser 3 (already installed, through the AWS SDK): a validating XML parser.
import { parse as parseXml, validate as validateXml } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog, convocatorias, declaracionesJuradasFormatos } from "~/db/schema";
import { createPostulante, createStaff } from "../support/accounts";
import { basesPdf, convocatoriaFields, encryptedPdf, makeConvocatoria, multipart, signIn } from "../support/convocatorias";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

const count = async (s: TestServices) =>
  (await s.db.select({ n: sql<number>`count(*)::int` }).from(convocatorias))[0]!.n;

describe("convocatorias over HTTP", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let gestor: TestClient;
  let gestorId: string;
  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    const g = await createStaff(s, "gestor");
    gestorId = g.id;
    gestor = app.client();
    await signIn(s, gestor, { staffId: g.id });
    await gestor.get("/admin/convocatorias/nueva");
  }, 120_000);
  afterAll(async () => {
    await app.close();
    await s.close();
  });

  const create = async (fields: Record<string, string>, file?: { bytes: Uint8Array; filename?: string; type?: string }) => {
    await gestor.get("/admin/convocatorias/nueva");
    return gestor.send(
      "/admin/convocatorias/nueva",
      multipart(gestor.csrf, fields, file ? { field: "bases", filename: file.filename ?? "bases.pdf", bytes: file.bytes, type: file.type } : undefined),
    );
  };

  describe("bad input: a clear Spanish message, nothing saved", () => {
    const cases: [string, (now: Date) => Record<string, string>, string][] = [
      ["a negative remuneración", (n) => convocatoriaFields(n, { remuneracion: "-100" }), "mayor que cero"],
      ["an absurd remuneración", (n) => convocatoriaFields(n, { remuneracion: "95000" }), "S/ 50,000.00"],
      ["zero vacantes", (n) => convocatoriaFields(n, { vacantes: "0" }), "al menos 1 vacante"],
      ["too many vacantes", (n) => convocatoriaFields(n, { vacantes: "501" }), "500 vacantes"],
      ["a stage that ends before it starts", (n) => ({ ...convocatoriaFields(n), "etapa-2-finFecha": convocatoriaFields(n)["etapa-2-inicioFecha"]!, "etapa-2-finHora": "00:00", "etapa-2-inicioHora": "23:00" }), "posterior a la de inicio"],
      ["overlapping stages", (n) => { const f = convocatoriaFields(n); return { ...f, "etapa-3-inicioFecha": f["etapa-2-inicioFecha"]!, "etapa-3-inicioHora": f["etapa-2-inicioHora"]! }; }, "se superpone"],
      ["a window outside Publicación … Resultado final", (n) => { const f = convocatoriaFields(n); return { ...f, "etapa-1-nombre": "Entrevista previa", "etapa-6-nombre": "Postulación" }; }, "entre la Publicación y el Resultado final"],
      ["a cronograma without Postulación", (n) => ({ ...convocatoriaFields(n), "etapa-1-nombre": "Recepción" }), "«Postulación»"],
      ["an unknown ubigeo", (n) => convocatoriaFields(n, { ubigeo: "999999" }), "distrito válido"],
    ];
    for (const [name, fields, message] of cases) {
      it(`refuses ${name}`, async () => {
        const before = await count(s);
        const res = await create(fields(s.clock.now()), { bytes: await basesPdf() });
        expect(res.status).toBe(422);
        expect(res.html).toContain(message);
        expect(res.html).toContain("Revise los datos ingresados");
        expect(await count(s)).toBe(before);
      });
    }

    it("refuses a repeated código with 409", async () => {
      const { fields } = await makeConvocatoria(s, gestorId, { publish: false });
      const before = await count(s);
      const res = await create(convocatoriaFields(s.clock.now(), { codigo: fields.codigo! }), { bytes: await basesPdf() });
      expect(res.status).toBe(409);
      expect(res.html).toContain("Ya existe una convocatoria con el código");
      expect(res.html).toContain(`value="${fields.codigo!}"`);
      expect(await count(s)).toBe(before);
    });

    it("refuses bases that are not a PDF (a PNG named .pdf)", async () => {
      const before = await count(s);
      const png = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4ee0000000049454e44ae426082", "hex");
      const res = await create(convocatoriaFields(s.clock.now()), { bytes: png });
      expect(res.status).toBe(422);
      expect(res.html).toContain("no es un PDF válido");
      expect(await count(s)).toBe(before);
    });

    it("refuses password-protected bases", async () => {
      const res = await create(convocatoriaFields(s.clock.now()), { bytes: await encryptedPdf() });
      expect(res.status).toBe(422);
      expect(res.html).toContain("protegido con contraseña");
    });

    it("refuses bases over 20 MB while streaming, with 413", async () => {
      const before = await count(s);
      const big = new Uint8Array(20 * 1024 * 1024 + 10);
      big.set(Buffer.from("%PDF-1.7\n"));
      const res = await create(convocatoriaFields(s.clock.now()), { bytes: big });
      expect(res.status).toBe(413);
      expect(res.html).toContain("20 MB");
      expect(await count(s)).toBe(before);
    });

    it("refuses a multipart post without its CSRF token", async () => {
      const res = await gestor.send("/admin/convocatorias/nueva", multipart("forged", convocatoriaFields(s.clock.now())));
      expect(res.status).toBe(403);
    });

    it("shows HTML typed in a text field as text, never as markup", async () => {
      const { id } = await makeConvocatoria(s, gestorId, { overrides: { puesto: '<script>alert("x")</script><b>Jefe</b>', competencias: "<img src=x onerror=alert(1)>" } });
      const page = await app.client().get(`/convocatorias/${id}`);
      expect(page.html).not.toContain('<script>alert("x")</script>');
      expect(page.html).not.toContain("<img src=x");
      expect(page.html).toContain("&lt;script&gt;");
    });
  });

  it("a gestor creates with bases, publishes, and the public finds it without accents", async () => {
    const fields = convocatoriaFields(s.clock.now(), { puesto: "Técnico en Cartografía Digital" });
    const res = await create(fields, { bytes: await basesPdf(), filename: "Bases CAS ñandú.pdf" });
    expect(res.status).toBe(302);
    const edit = res.headers.get("location")!.split("?")[0]!;
    const id = edit.split("/").pop()!;
    const visitor = app.client();
    // "Publicar" is a preview first: the public page as it will read, and nobody e-mailed.
    const preview = await gestor.get(`${edit}/publicar`);
    expect(preview.status).toBe(200);
    expect(preview.html).toContain("Vista previa de la publicación");
    expect(preview.html).toContain("Técnico en Cartografía Digital");
    expect(preview.html).toContain("Perfil del puesto");
    expect(preview.html).toContain("En postulación");
    expect(preview.html).toContain("Publicar una convocatoria no envía correos a nadie.");
    expect((await visitor.get(`/convocatorias/${id}`)).status).toBe(404);
    const version = /name="version" value="([^"]+)"/.exec(preview.html)![1]!;
    // Only the HR office sees the preview or confirms it.
    const evaluador = app.client();
    await signIn(s, evaluador, { staffId: (await createStaff(s, "evaluador")).id });
    await evaluador.get("/admin");
    expect((await evaluador.get(`${edit}/publicar`)).status).toBe(403);
    expect((await evaluador.post(`${edit}/publicar`, { version })).status).toBe(403);
    expect((await visitor.get(`${edit}/publicar`)).status).toBe(302);
    // A confirmation that carries another version (the convocatoria changed since) publishes nothing.
    const stale = await gestor.post(`${edit}/publicar`, { version: "2000-01-01T00:00:00.000Z" });
    expect(stale.status).toBe(409);
    expect(stale.html).toContain("cambió después de la vista previa");
    expect((await visitor.get(`/convocatorias/${id}`)).status).toBe(404);
    const confirmed = await gestor.post(`${edit}/publicar`, { version });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get("location")).toBe(`${edit}?aviso=publicada`);
    // Once published there is nothing to preview: back to its page.
    expect((await gestor.get(`${edit}/publicar`)).status).toBe(302);
    const list = await visitor.get("/convocatorias?q=TECNICO+cartografia");
    expect(list.html).toContain("Técnico en Cartografía Digital");
    expect(list.html).toContain(`href="/postulacion/${id}"`);
    const bases = await visitor.get(`/convocatorias/${id}/bases`);
    expect(bases.status).toBe(200);
    expect(bases.headers.get("content-type")).toBe("application/pdf");
    expect(bases.headers.get("content-disposition")).toBe(
      `attachment; filename="Bases CAS nandu.pdf"; filename*=UTF-8''${encodeURIComponent("Bases CAS ñandú.pdf")}`,
    );
    expect(bases.headers.get("x-content-type-options")).toBe("nosniff");
    expect(bases.html.startsWith("%PDF-")).toBe(true);
  });

  it("escapes LIKE wildcards: a search for % finds nothing special", async () => {
    const res = await app.client().get("/convocatorias?q=%25");
    expect(res.html).toContain("No se encontraron convocatorias.");
  });

  it("never shows a borrador to the public", async () => {
    const { id } = await makeConvocatoria(s, gestorId, { publish: false, overrides: { puesto: "Borrador secreto" } });
    const visitor = app.client();
    expect((await visitor.get("/convocatorias?q=secreto")).html).not.toContain("Borrador secreto");
    expect((await visitor.get(`/convocatorias/${id}`)).status).toBe(404);
    expect((await visitor.get(`/convocatorias/${id}/bases`)).status).toBe(404);
  });

  it("filters by estado, unidad orgánica, tipo de contrato and departamento", async () => {
    const tag = "filtrozeta";
    const open = await makeConvocatoria(s, gestorId, { overrides: { puesto: `Analista ${tag}`, unidadOrganica: "Jefatura Zonal de Tacna", tipoContrato: "suplencia", ubigeo: "230101" } });
    const later = await makeConvocatoria(s, gestorId, { overrides: { puesto: `Asistente ${tag}` }, window: { opensInDays: 3 } });
    const v = app.client();
    const ids = async (qs: string) => [...new Set([...(await v.get(`/convocatorias?q=${tag}&${qs}`)).html.matchAll(/href="\/convocatorias\/([0-9a-f-]{36})"/g)].map((m) => m[1]))];
    expect(await ids("estado=en_postulacion")).toContain(open.id);
    expect(await ids("estado=en_postulacion")).not.toContain(later.id);
    expect(await ids("unidad=Jefatura+Zonal+de+Tacna")).toEqual([open.id]);
    expect(await ids("tipoContrato=suplencia")).toEqual([open.id]);
    expect(await ids("departamento=23")).toEqual([open.id]);
    expect(await ids("departamento=15")).toEqual([later.id]);
    expect(await ids("estado=concluidas")).toEqual([]);
  });

  it("pages the list 20 at a time, newest first, with page links", async () => {
    for (let i = 0; i < 22; i++) {
      s.clock.advance(1000); // each published a second after the previous one
      await makeConvocatoria(s, gestorId, { overrides: { puesto: `Paginado ${i}` } });
    }
    const v = app.client();
    const p1 = await v.get("/convocatorias?q=paginado");
    expect(p1.html).toContain("22 convocatorias · página 1 de 2");
    expect((p1.html.match(/class="convocatoria"/g) ?? []).length).toBe(20);
    expect(p1.html).toContain('href="/convocatorias?q=paginado&amp;page=2"');
    expect(p1.html.indexOf("Paginado 21")).toBeLessThan(p1.html.indexOf("Paginado 20"));
    const p2 = await v.get("/convocatorias?q=paginado&page=2");
    expect((p2.html.match(/class="convocatoria"/g) ?? []).length).toBe(2);
  });

  it("serves a valid Atom feed and a valid JSON Feed of the open convocatorias", async () => {
    const { id } = await makeConvocatoria(s, gestorId, { overrides: { puesto: "Feed & <Lector>" } });
    const { id: closed } = await makeConvocatoria(s, gestorId, { window: { opensInDays: 5 } });
    const atom = await app.client().get("/convocatorias/feed.atom");
    expect(atom.headers.get("content-type")).toContain("application/atom+xml");
    expect(validateXml(atom.html)).toBe(true);
    const feed = parseXml(atom.html, { ignoreAttributes: false }).feed;
    const entries = [feed.entry].flat();
    // The title is escaped in the XML (fast-xml-parser 3 leaves entities as written).
    expect(entries.some((e: { title: string }) => e.title.includes("Feed &amp; &lt;Lector&gt;"))).toBe(true);
    expect(entries.every((e: { id: string; updated: string }) => e.id && e.updated)).toBe(true);
    expect(atom.html).not.toContain(closed);
    const json = await app.client().get("/convocatorias/feed.json");
    const parsed = JSON.parse(json.html);
    expect(parsed.version).toBe("https://jsonfeed.org/version/1.1");
    expect(parsed.items.some((i: { url: string }) => i.url.endsWith(`/convocatorias/${id}`))).toBe(true);
    expect(parsed.items.every((i: { id: string; title: string }) => i.id && i.title)).toBe(true);
  });

  it("answers 304 to If-None-Match on the list, detail and feeds, and sends public caching to visitors", async () => {
    const { id } = await makeConvocatoria(s, gestorId);
    const v = app.client();
    for (const path of ["/convocatorias?q=analista", `/convocatorias/${id}`, "/convocatorias/feed.atom", "/convocatorias/feed.json", "/declaraciones-juradas"]) {
      const first = await v.get(path);
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toBe("public, max-age=5");
      const etag = first.headers.get("etag")!;
      expect(etag).toBeTruthy();
      const again = await fetch(app.baseUrl + path, { headers: { cookie: [...v.cookies].map(([k, val]) => `${k}=${val}`).join("; "), "if-none-match": etag } });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
    }
    // React Router's data requests (client-side navigation) carry the same caching.
    const dataReq = await v.get(`/convocatorias/${id}.data`);
    expect(dataReq.status).toBe(200);
    expect(dataReq.headers.get("cache-control")).toBe("public, max-age=5");
  });

  it("sends private, no-store and no validator to someone signed in", async () => {
    const res = await gestor.get("/convocatorias");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("etag")).toBeNull();
  });

  it("has title, description, Open Graph and canonical tags on list and detail", async () => {
    const { id } = await makeConvocatoria(s, gestorId, { overrides: { puesto: "Puesto con metadatos" } });
    const detail = (await app.client().get(`/convocatorias/${id}`)).html;
    expect(detail).toMatch(/<title>CAS N° [^<]+ – Puesto con metadatos/);
    for (const tag of ['name="description"', 'property="og:title"', 'property="og:description"', 'property="og:type" content="article"', `rel="canonical" href="${s.config.baseUrl}/convocatorias/${id}"`]) {
      expect(detail).toContain(tag);
    }
    expect(detail).toContain("Aún no se publican resultados.");
    const list = (await app.client().get("/convocatorias")).html;
    expect(list).toContain("<title>Listado de Convocatorias");
    expect(list).toContain('property="og:type" content="website"');
  });

  it("POSTULAR signed out leads to login and back to that convocatoria", async () => {
    const { id } = await makeConvocatoria(s, gestorId);
    const res = await app.client().get(`/postulacion/${id}`);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(`/postulacion/${id}`)}`);
  });

  it("lets the administrator upload, reorder, replace and retire Declaraciones Juradas formats; the public downloads them", async () => {
    const admin = app.client();
    await signIn(s, admin, { staffId: (await createStaff(s, "administrador")).id });
    await admin.get("/admin/declaraciones-juradas");
    const up = (titulo: string, bytes: Uint8Array, filename: string) =>
      admin.send("/admin/declaraciones-juradas", multipart(admin.csrf, { intent: "cargar", titulo }, { field: "archivo", filename, bytes, type: "application/octet-stream" }));
    expect((await up("Formato N.° 1 – Datos personales", await basesPdf("F1"), "f1.pdf")).status).toBe(302);
    expect((await up("Formato N.° 2 – Impedimentos", await basesPdf("F2"), "f2.pdf")).status).toBe(302);
    const bad = await up("Formato falso", Buffer.from("MZ not a document at all"), "virus.pdf");
    expect(bad.status).toBe(422);
    expect(bad.html).toContain("Solo se aceptan formatos PDF, DOCX u ODT");
    const rows = await s.db.select().from(declaracionesJuradasFormatos).orderBy(declaracionesJuradasFormatos.orden);
    expect(rows.map((r) => r.titulo)).toEqual(["Formato N.° 1 – Datos personales", "Formato N.° 2 – Impedimentos"]);
    await admin.get("/admin/declaraciones-juradas");
    expect((await admin.post("/admin/declaraciones-juradas", { intent: "subir", id: rows[1]!.id })).status).toBe(302);
    const publicPage = (await app.client().get("/declaraciones-juradas")).html;
    expect(publicPage.indexOf("Impedimentos")).toBeLessThan(publicPage.indexOf("Datos personales"));
    const file = await app.client().get(`/declaraciones-juradas/${rows[0]!.id}`);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="Formato N\. 1 .*\.pdf"; filename\*=UTF-8''Formato%20N\.%201%20.*\.pdf$/);
    await admin.get("/admin/declaraciones-juradas");
    expect((await admin.post("/admin/declaraciones-juradas", { intent: "retirar", id: rows[0]!.id })).status).toBe(302);
    expect((await app.client().get("/declaraciones-juradas")).html).not.toContain("Datos personales");
    expect((await app.client().get(`/declaraciones-juradas/${rows[0]!.id}`)).status).toBe(404);
    const retired = await s.db.query.declaracionesJuradasFormatos.findFirst({ where: eq(declaracionesJuradasFormatos.id, rows[0]!.id) });
    expect(retired!.retiradoAt).not.toBeNull();
  });

  describe("every HR route, for every role", () => {
    it("gives 403 to an evaluador and an applicant, redirects the anonymous to /admin/login, lets gestor/administrador in (DJ formats: administrador only)", async () => {
      const { id } = await makeConvocatoria(s, gestorId, { publish: false });
      const { id: pub } = await makeConvocatoria(s, gestorId);
      const routes: { method: "GET" | "POST"; path: string; fields?: Record<string, string>; adminOnly?: boolean }[] = [
        { method: "GET", path: "/admin/convocatorias" },
        { method: "GET", path: "/admin/convocatorias/nueva" },
        { method: "POST", path: "/admin/convocatorias/nueva", fields: { intent: "guardar" } },
        { method: "GET", path: `/admin/convocatorias/${id}` },
        ...["guardar", "publicar", "eliminar", "concluir"].map((intent) => ({ method: "POST" as const, path: `/admin/convocatorias/${id}`, fields: { intent } })),
        ...["ampliar", "cancelar", "desierta"].map((intent) => ({ method: "POST" as const, path: `/admin/convocatorias/${pub}`, fields: { intent, motivo: "" } })),
        { method: "GET", path: "/admin/declaraciones-juradas", adminOnly: true },
        ...["cargar", "reemplazar", "subir", "bajar", "retirar"].map((intent) => ({ method: "POST" as const, path: "/admin/declaraciones-juradas", fields: { intent, id: "00000000-0000-0000-0000-000000000000" }, adminOnly: true })),
      ];
      const clients: Record<string, TestClient> = {};
      const refusedIds: string[] = [];
      for (const role of ["evaluador", "gestor", "administrador"] as const) {
        clients[role] = app.client();
        const member = await createStaff(s, role);
        if (role === "evaluador") refusedIds.push(member.id);
        await signIn(s, clients[role], { staffId: member.id });
      }
      clients.postulante = app.client();
      const postulante = await createPostulante(s);
      refusedIds.push(postulante.id);
      await signIn(s, clients.postulante, { postulanteId: postulante.id });
      clients.anonimo = app.client();
      for (const c of Object.values(clients)) await c.get("/");
      const allowed = (role: string, r: (typeof routes)[number]) => role === "administrador" || (role === "gestor" && !r.adminOnly);
      for (const r of routes) {
        for (const [role, c] of Object.entries(clients)) {
          const res = r.method === "GET" ? await c.get(r.path) : await c.post(r.path, r.fields ?? {});
          const label = `${role} ${r.method} ${r.path} ${r.fields?.intent ?? ""}`;
          if (role === "anonimo") {
            expect(res.status, label).toBe(302);
            expect(res.headers.get("location"), label).toMatch(/^\/admin\/login\?redirectTo=/);
          } else if (allowed(role, r)) {
            expect([200, 302, 400, 404, 409, 422], label).toContain(res.status);
          } else {
            expect(res.status, label).toBe(403);
          }
        }
      }
      // The refused attempts left no trace of a change.
      const [{ n } = { n: -1 }] = await s.db.select({ n: sql<number>`count(*)::int` }).from(auditLog).where(inArray(auditLog.actorId, refusedIds));
      expect(n).toBe(0);
    }, 120_000);
  });
});
