import { and, eq } from "drizzle-orm";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { createPostulante } from "../support/accounts";
import { useTestApp, type TestApp } from "../support/http-suite";
import { normalPdf } from "../support/pdfs";
import { createConvocatoriaAbierta, fetchBytes, HOUR, readyToFinalize, signIn, uploadDirect } from "../support/postulacion";
import type { TestServices } from "../support/services";

/**
 * Issue 12, item 5: the convocatoria list and detail know the signed-in applicant's
 * postulaciones (and the anonymous pages stay shared and cached), and Mis postulaciones shows
 * each one's state, number, Lima date, constancia and ficha. Real app over HTTP, no-JS client.
 */
describe("the applicant's own postulaciones on the public pages and in Mis postulaciones", { timeout: 120_000 }, () => {
  let s: TestServices;
  let app: TestApp;
  let pdf: Uint8Array;

  useTestApp({ env: { PUBLIC_CACHE_SECONDS: "5" } }, async (t) => {
    ({ s, app } = t);
    pdf = await normalPdf(1, "Documento");
  });

  const rowOf = async (postulanteId: string, convocatoriaId: string) =>
    (await s.db.select().from(postulaciones).where(and(eq(postulaciones.postulanteId, postulanteId), eq(postulaciones.convocatoriaId, convocatoriaId))))[0]!;
  /** The list's card of a convocatoria, as rendered. */
  const cardOf = (html: string, id: string) => {
    const start = html.indexOf(`aria-labelledby="conv-${id}"`);
    expect(start, `card of ${id}`).toBeGreaterThan(0);
    return html.slice(start, html.indexOf("</article>", start));
  };
  const text = (html: string) => html.replaceAll("<!-- -->", "");
  /** A link to `href` whose text starts with `label`. */
  const linkTo = (href: string, label: string) => new RegExp(`<a [^>]*href="${href}"[^>]*>${label}`);

  it("offers Continuar postulación / Ver mi postulación instead of POSTULAR and marks the cards, never from the shared cache", async () => {
    const borrador = await createConvocatoriaAbierta(s);
    const registrada = await createConvocatoriaAbierta(s);
    const otra = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    await uploadDirect(s, p.id, borrador.id, "DNI", pdf);
    await readyToFinalize(s, p.id, registrada.id, pdf);
    const client = await signIn(s, app.client(), p);
    await client.get(`/postulacion/${registrada.id}/finalizar`);
    const fin = await client.post(`/postulacion/${registrada.id}/finalizar`, { declaracion: "on", acepto: "on" });
    expect(fin.status, fin.html.slice(0, 300)).toBe(302);

    // An anonymous visitor first: the list is rendered into the shared cache, POSTULAR everywhere.
    const anon = app.client();
    const anonList = await anon.get("/convocatorias");
    expect(anonList.headers.get("cache-control")).toBe("public, max-age=5");
    for (const c of [borrador, registrada, otra]) {
      expect(text(cardOf(anonList.html, c.id))).toContain(`POSTULAR<span class="visually-hidden"> a ${c.codigo}</span>`);
      expect(cardOf(anonList.html, c.id)).not.toContain("Su postulación");
    }

    // The applicant within the same max-age: their own page, never the cached one, never stored.
    const list = await client.get("/convocatorias");
    expect(list.status).toBe(200);
    expect(list.headers.get("cache-control")).toBe("private, no-store");
    expect(list.headers.get("etag")).toBeNull();
    const cardBorrador = text(cardOf(list.html, borrador.id));
    expect(cardBorrador).toContain("Su postulación: En registro");
    expect(cardBorrador).toContain(`Continuar postulación<span class="visually-hidden"> a ${borrador.codigo}</span>`);
    expect(cardBorrador).not.toContain("POSTULAR");
    const cardRegistrada = text(cardOf(list.html, registrada.id));
    expect(cardRegistrada).toContain("Su postulación: Registrada");
    expect(cardRegistrada).toContain(`Ver mi postulación<span class="visually-hidden"> a ${registrada.codigo}</span>`);
    expect(cardRegistrada).not.toContain("POSTULAR");
    const cardOtra = text(cardOf(list.html, otra.id));
    expect(cardOtra).toContain(`POSTULAR<span class="visually-hidden"> a ${otra.codigo}</span>`);
    expect(cardOtra).not.toContain("Su postulación");

    // The detail pages.
    const detalleBorrador = await client.get(`/convocatorias/${borrador.id}`);
    expect(detalleBorrador.headers.get("cache-control")).toBe("private, no-store");
    expect(text(detalleBorrador.html)).toMatch(linkTo(`/postulacion/${borrador.id}`, "Continuar postulación"));
    expect(text(detalleBorrador.html)).toContain("Su postulación: En registro");
    expect(detalleBorrador.html).not.toContain(">POSTULAR<");
    const detalleRegistrada = await client.get(`/convocatorias/${registrada.id}`);
    expect(text(detalleRegistrada.html)).toMatch(linkTo(`/postulacion/${registrada.id}`, "Ver mi postulación"));
    expect(detalleRegistrada.html).not.toContain(">POSTULAR<");
    const detalleOtra = await client.get(`/convocatorias/${otra.id}`);
    expect(text(detalleOtra.html)).toMatch(linkTo(`/postulacion/${otra.id}`, "POSTULAR"));

    // And the anonymous visitor after them still gets the shared page: nobody's postulaciones leak into it.
    for (const path of ["/convocatorias", `/convocatorias/${borrador.id}`, `/convocatorias/${registrada.id}`]) {
      const again = await app.client().get(path);
      expect(again.headers.get("cache-control"), path).toBe("public, max-age=5");
      expect(again.html, path).not.toContain("Su postulación");
      expect(again.html, path).not.toContain("Continuar postulación");
      expect(again.html, path).not.toContain("Ver mi postulación");
    }

    // After the window a draft is only to be seen: "Ver mi postulación".
    s.clock.set(new Date(borrador.postulacionFin!.getTime() + HOUR));
    try {
      await signIn(s, client, p);
      const closed = await client.get(`/convocatorias/${borrador.id}`);
      expect(text(closed.html)).toMatch(linkTo(`/postulacion/${borrador.id}`, "Ver mi postulación"));
      expect(closed.html).not.toContain("Continuar postulación");
    } finally {
      s.clock.set(new Date(borrador.postulacionFin!.getTime() - 24 * HOUR));
    }
  });

  it("lists in Mis postulaciones each one's state, number, Lima date, constancia and ficha", async () => {
    const borrador = await createConvocatoriaAbierta(s);
    const vacio = await createConvocatoriaAbierta(s);
    const registrada = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    await uploadDirect(s, p.id, borrador.id, "DNI", pdf);
    await readyToFinalize(s, p.id, registrada.id, pdf);
    const client = await signIn(s, app.client(), p);
    await client.get(`/postulacion/${vacio.id}`); // "POSTULAR": an empty draft
    await client.get(`/postulacion/${registrada.id}/finalizar`);
    expect((await client.post(`/postulacion/${registrada.id}/finalizar`, { declaracion: "on", acepto: "on" })).status).toBe(302);
    const reg = await rowOf(p.id, registrada.id);
    const draft = await rowOf(p.id, borrador.id);
    const empty = await rowOf(p.id, vacio.id);

    const mis = await client.get("/mis-postulaciones");
    expect(mis.status).toBe(200);
    expect(mis.headers.get("cache-control")).toBe("private, no-store");
    const rowHtml = (codigo: string) => {
      const at = mis.html.indexOf(codigo);
      expect(at, codigo).toBeGreaterThan(0);
      return text(mis.html.slice(mis.html.lastIndexOf("<tr", at), mis.html.indexOf("</tr>", at)));
    };

    const r = rowHtml(registrada.codigo);
    expect(r).toContain("Registrada");
    expect(r).toContain(reg.numero!);
    expect(r).toContain(`Registrada el <time dateTime="${reg.finalizadaAt!.toISOString()}">${formatLima(reg.finalizadaAt!)}</time>`);
    expect(r).toContain(`href="/postulacion/${reg.id}/constancia.pdf"`);
    expect(r).toContain(`href="/postulacion/${reg.id}/ficha.pdf"`);
    expect(r).not.toContain("Continuar postulación");

    const d = rowHtml(borrador.codigo);
    expect(d).toContain("En registro");
    expect(d).toContain("Sin número: aún no finaliza");
    expect(d).toContain(`Iniciada el <time dateTime="${draft.createdAt.toISOString()}">${formatLima(draft.createdAt)}</time>`);
    expect(d).not.toContain("constancia.pdf");
    expect(d).toContain(`href="/postulacion/${draft.id}/ficha.pdf"`);
    expect(d).toMatch(linkTo(`/postulacion/${borrador.id}`, "Continuar postulación"));

    const e = rowHtml(vacio.codigo);
    expect(e).toContain("Aún no ha cargado documentos");
    expect(e).not.toContain("ficha.pdf");
    expect(e).toMatch(linkTo(`/postulacion/${empty.convocatoriaId}`, "Continuar postulación"));

    // The links serve the applicant's PDFs.
    for (const url of [`/postulacion/${reg.id}/constancia.pdf`, `/postulacion/${reg.id}/ficha.pdf`, `/postulacion/${draft.id}/ficha.pdf`]) {
      const res = await fetchBytes(client, url);
      expect(res.status, url).toBe(200);
      expect((await PDFDocument.load(res.bytes)).getPageCount(), url).toBeGreaterThan(0);
    }
  });
});
