import { describe, expect, it } from "vitest";
import { can } from "~/shared/permissions";
import { safeRedirectTo } from "./auth.server";

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
