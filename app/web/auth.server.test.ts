import type { AppLoadContext } from "react-router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/platform/session.server";
import { can } from "~/shared/permissions";
import { createPostulante } from "../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../tests/support/services";
import { getPrincipal, postulanteRow, safeRedirectTo } from "./auth.server";

describe("safeRedirectTo", () => {
  it("keeps a path inside the site", () => {
    expect(safeRedirectTo("/convocatorias/12?pagina=2")).toBe("/convocatorias/12?pagina=2");
  });

  it("refuses anything that could leave the site or break the Location header", () => {
    for (const bad of [
      "https://evil.example",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example", // browsers drop the tab: "//evil.example"
      "/\n/evil.example",
      "/\r\nSet-Cookie: x=1",
      "/mañana", // not ASCII: a 500 in a header
      "/a b",
      "javascript:alert(1)",
      "",
      "/" + "a".repeat(1001),
      undefined,
      42,
    ]) {
      expect(safeRedirectTo(bad, "/inicio"), JSON.stringify(bad)).toBe("/inicio");
    }
  });
});

describe("permissions", () => {
  it("gives the staff sections to the roles of the PERMISSIONS table only", () => {
    expect(can("administrador", "manage:staff")).toBe(true);
    expect(can("gestor", "manage:staff")).toBe(false);
    expect(can("gestor", "manage:convocatoria")).toBe(true);
    expect(can("evaluador", "manage:convocatoria")).toBe(false);
    expect(can("evaluador", "view:admin")).toBe(true);
    expect(can("administrador", "manage:entidad")).toBe(true);
    expect(can("gestor", "manage:entidad")).toBe(false);
    expect(can("evaluador", "manage:entidad")).toBe(false);
  });
});

describe("one read per request", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(() => s?.close());

  /** Counts how many times a postulantes read is run against the database (a Drizzle query runs on each `then`). */
  function countRuns() {
    const counter = { runs: 0 };
    const table = s.db.query.postulantes;
    const real = table.findFirst.bind(table);
    table.findFirst = ((...args: Parameters<typeof real>) => {
      const query = real(...args);
      const then = query.then.bind(query);
      query.then = ((...callbacks: Parameters<typeof then>) => {
        counter.runs++;
        return then(...callbacks);
      }) as typeof query.then;
      return query;
    }) as typeof real;
    return { counter, restore: () => (table.findFirst = real) };
  }

  it("a GET's loaders, each with its own copy of the Request, share the request's reads; another request or a POST reads again", async () => {
    const p = await createPostulante(s);
    const token = await createSession(s.db, { postulanteId: p.id }, s.clock.now());
    const cookie = `cas_session=${token}`;
    const get = () => new Request("http://localhost/postulacion/x", { headers: { cookie } });
    const { counter, restore } = countRuns();
    try {
      const context = { services: s } as unknown as AppLoadContext;
      // The root's loader and the page's, as React Router calls them: two Request objects, one context.
      const [a, b] = await Promise.all([getPrincipal(get(), context), getPrincipal(get(), context)]);
      expect(a).toMatchObject({ kind: "postulante", postulanteId: p.id });
      expect(b).toBe(a);
      const rows = [await postulanteRow(get(), context, p.id), await postulanteRow(get(), context, p.id)];
      expect(rows[0]?.nombres).toBe(p.nombres);
      expect(rows[1]).toBe(rows[0]);
      expect(counter.runs).toBe(1);

      // The next request has its own context: read again.
      await postulanteRow(get(), { services: s } as unknown as AppLoadContext, p.id);
      expect(counter.runs).toBe(2);

      // A POST's action may change what was read: keyed by its own Request.
      const post = () => new Request("http://localhost/postulacion/x", { method: "POST", headers: { cookie } });
      await postulanteRow(post(), context, p.id);
      await postulanteRow(post(), context, p.id);
      expect(counter.runs).toBe(4);
    } finally {
      restore();
    }
  });
});
