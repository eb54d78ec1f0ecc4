import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "../../../tests/support/accounts";
import { assignDirect, createConvocatoria } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { checkEtapaAccess } from "./check-etapa-access.server";
import { AppError } from "~/shared/app-error";
import { loadEvaluacion } from "./load-evaluacion.server";

describe("checkEtapaAccess", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("lets in the evaluadores assigned to the stage and the HR office, nobody else", async () => {
    const etapa = (await loadEvaluacion(s.db, (await createConvocatoria(s)).id)).etapas[0]!;
    const [asignado, otro, gestor] = [await createStaff(s, "evaluador"), await createStaff(s, "evaluador"), await createStaff(s, "gestor")];
    await assignDirect(s, etapa.id, [asignado.id]);
    expect(await checkEtapaAccess(s.db, etapa.id, asignado)).toMatchObject({ asignado: true, gestiona: false, permitido: true });
    expect(await checkEtapaAccess(s.db, etapa.id, gestor)).toMatchObject({ asignado: false, gestiona: true, permitido: true });
    expect(await checkEtapaAccess(s.db, etapa.id, otro)).toMatchObject({ etapa: { id: etapa.id }, asignado: false, gestiona: false, permitido: false });
  });

  it("is the 404 refusal for a stage that does not exist", async () => {
    const error = await checkEtapaAccess(s.db, "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b", await createStaff(s, "gestor")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404 });
  });
});
