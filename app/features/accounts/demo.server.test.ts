import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { postulantes, staff } from "~/db/schema";
import { createStaff } from "../../../tests/support/accounts";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { DEMO_POSTULANTE_PASSWORD, DEMO_POSTULANTES_PROCESOS, DEMO_STAFF_PASSWORD, seedDemoAccounts } from "./demo.server";
import { passwordProblem } from "./password-policy.server";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";

/** The demo accounts of docs/demo.md exist, sign in with the documented passwords, and seeding twice changes nothing. */
describe("demo accounts", () => {
  let s: TestServices | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it("seeds María, Carlos, the process applicants and one staff account per role, with the documented credentials", async () => {
    s = await createTestServices();
    await seedDemoAccounts(s);
    const maria = await s.db.query.postulantes.findFirst({ where: eq(postulantes.numeroDocumento, "45871236") });
    expect(maria).toMatchObject({ tipoDocumento: "DNI", nacionalidad: "PE", nombres: "María", apellidoPaterno: "Quispe", apellidoMaterno: "Huamán", ubigeo: "150122" });
    expect(maria!.emailVerifiedAt).not.toBeNull();
    expect(await s.hasher.verify(maria!.passwordHash, DEMO_POSTULANTE_PASSWORD)).toBe(true);
    const carlos = await s.db.query.postulantes.findFirst({ where: eq(postulantes.numeroDocumento, "001234567") });
    expect(carlos).toMatchObject({ tipoDocumento: "CE", nacionalidad: "VE" });
    expect(await s.hasher.verify(carlos!.passwordHash, DEMO_POSTULANTE_PASSWORD)).toBe(true);
    for (const p of [maria!, carlos!]) {
      expect(passwordProblem(DEMO_POSTULANTE_PASSWORD, p)).toBeNull();
      expect(isDistrito(p.ubigeo!)).toBe(true);
    }

    const members = await s.db.select().from(staff);
    expect(members.map((m) => [m.email, m.role]).sort()).toEqual([
      ["admin@cas.demo", "administrador"],
      ["evaluador@cas.demo", "evaluador"],
      ["evaluadora2@cas.demo", "evaluador"],
      ["gestor@cas.demo", "gestor"],
    ]);
    for (const m of members) expect(await s.hasher.verify(m.passwordHash, DEMO_STAFF_PASSWORD)).toBe(true);

    expect(await s.db.select().from(postulantes)).toHaveLength(2 + DEMO_POSTULANTES_PROCESOS.length);
    await seedDemoAccounts(s);
    expect(await s.db.select().from(postulantes)).toHaveLength(2 + DEMO_POSTULANTES_PROCESOS.length);
    expect(await s.db.select().from(staff)).toHaveLength(4);
  });

  it("adds no demo administrador when a staff account already exists (ADMIN_EMAIL made the real one)", async () => {
    s = await createTestServices();
    const real = await createStaff(s, "administrador", { email: "jefa@entidad.gob.pe" });
    await seedDemoAccounts(s);
    const admins = await s.db.select().from(staff).where(eq(staff.role, "administrador"));
    expect(admins.map((a) => a.id)).toEqual([real.id]);
  });
});
