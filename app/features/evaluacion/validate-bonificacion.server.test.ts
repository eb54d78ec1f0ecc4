import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bonificaciones } from "~/db/schema";
import { createStaff, type TestStaff } from "../../../tests/support/accounts";
import { createConvocatoria, createPostulaciones } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { AppError } from "~/shared/app-error";
import { validateBonificacion } from "./validate-bonificacion.server";

describe("validateBonificacion", () => {
  let s: TestServices;
  let gestor: TestStaff;
  beforeAll(async () => {
    s = await createTestServices();
    gestor = await createStaff(s, "gestor");
  });
  afterAll(async () => s?.close());
  const decisiones = async (postulacionId: string) => s.db.select().from(bonificaciones).where(eq(bonificaciones.postulacionId, postulacionId));

  it("records the gestor's decision on a claimed bonificación of the convocatoria", async () => {
    const conv = await createConvocatoria(s);
    const [p] = await createPostulaciones(s, conv.id, 1, { documentos: ["DNI", "LICENCIADO_FFAA"] });
    await validateBonificacion({ services: s, actorId: gestor.id, convocatoriaId: conv.id, postulacionId: p!.id, tipo: "ffaa", validada: true, nivel: null, observacion: "" });
    expect(await decisiones(p!.id)).toMatchObject([{ tipo: "ffaa", validada: true }]);
  });

  it("refuses a postulación of another convocatoria (404) before any other check, nothing recorded", async () => {
    const [mine, other] = [await createConvocatoria(s), await createConvocatoria(s)];
    const [ajena] = await createPostulaciones(s, other.id, 1, { documentos: ["DNI", "DEPORTISTA_ALTO_NIVEL"] });
    // A Deportista validated without a level would be a 422 on its own convocatoria.
    const error = await validateBonificacion({
      services: s, actorId: gestor.id, convocatoriaId: mine.id, postulacionId: ajena!.id, tipo: "deportista", validada: true, nivel: null, observacion: "",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404, message: "No encontramos la postulación.", logCause: "postulación of another convocatoria" });
    expect(await decisiones(ajena!.id)).toEqual([]);
  });
});
