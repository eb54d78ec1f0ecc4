import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Principal } from "~/platform/session.server";
import { createPostulante, createStaff } from "../../../tests/support/accounts";
import { createConvocatoria } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { findBases } from "./find-bases.server";

describe("findBases", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());
  const conBases = { basesKey: "bases/x.pdf", basesFilename: "bases.pdf", basesSha256: "ab".repeat(32), basesSize: 2048 };
  const staff = (staffId: string): Principal => ({ kind: "staff", staffId, sessionHash: "h", lastSeenAt: s.clock.now() });

  it("gives a published convocatoria's bases to anyone, without reading the session", async () => {
    const c = await createConvocatoria(s, conBases);
    const reader = vi.fn(async () => null);
    expect(await findBases(s.db, c.id, reader)).toEqual({ key: "bases/x.pdf", filename: "bases.pdf", sha256: conBases.basesSha256, size: 2048, privada: false });
    expect(reader).not.toHaveBeenCalled();
  });

  it("gives a borrador's bases only to an enabled staff member who manages convocatorias (private)", async () => {
    const c = await createConvocatoria(s, { ...conBases, estado: "borrador" });
    const gestor = await createStaff(s, "gestor");
    expect(await findBases(s.db, c.id, async () => staff(gestor.id))).toMatchObject({ privada: true });
    const evaluador = await createStaff(s, "evaluador");
    const deshabilitado = await createStaff(s, "gestor", { disabledAt: s.clock.now() });
    const postulante = await createPostulante(s);
    for (const reader of [
      async () => null,
      async () => staff(evaluador.id),
      async () => staff(deshabilitado.id),
      async (): Promise<Principal> => ({ kind: "postulante", postulanteId: postulante.id, sessionHash: "h", lastSeenAt: s.clock.now() }),
    ]) {
      expect(await findBases(s.db, c.id, reader)).toBeNull();
    }
  });

  it("gives nothing for a convocatoria without bases or that does not exist", async () => {
    expect(await findBases(s.db, (await createConvocatoria(s)).id, async () => null)).toBeNull();
    expect(await findBases(s.db, "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b", async () => null)).toBeNull();
  });
});
