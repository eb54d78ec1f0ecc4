import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "../../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { listStaff } from "./list-staff.server";

describe("listStaff", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("lists every staff account by name, with its role and whether it is enabled", async () => {
    const beto = await createStaff(s, "evaluador", { nombre: "Beto Ríos" });
    const ana = await createStaff(s, "gestor", { nombre: "Ana Paz", disabledAt: s.clock.now() });
    const rows = (await listStaff(s.db)).filter((r) => [ana.id, beto.id].includes(r.id));
    expect(rows.map((r) => [r.nombre, r.email, r.role, r.habilitado])).toEqual([
      ["Ana Paz", ana.email, "gestor", false],
      ["Beto Ríos", beto.email, "evaluador", true],
    ]);
  });
});
