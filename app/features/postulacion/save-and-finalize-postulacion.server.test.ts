import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentos, postulaciones } from "~/db/schema";
import { createPostulante } from "../../../tests/support/accounts";
import { normalPdf } from "../../../tests/support/pdfs";
import { createConvocatoriaAbierta, REQUERIDOS_PE, uploadDirect } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { AppError } from "~/shared/app-error";
import { saveAndFinalizePostulacion } from "./save-and-finalize-postulacion.server";

describe("saveAndFinalizePostulacion", () => {
  let s: TestServices;
  let pdf: Uint8Array;
  beforeAll(async () => {
    s = await createTestServices();
    pdf = await normalPdf(1, "Documento");
  });
  afterAll(async () => s?.close());

  /** A draft with the required documents uploaded, none confirmed yet. */
  async function borrador() {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    let postulacionId = "";
    for (const tipo of REQUERIDOS_PE) ({ postulacionId } = await uploadDirect(s, p.id, c.id, tipo, pdf));
    const ids = (await s.db.select({ id: documentos.id }).from(documentos).where(eq(documentos.postulacionId, postulacionId))).map((d) => d.id);
    const base = { services: s, postulanteId: p.id, convocatoriaId: c.id, postulacionId, declaracion: true };
    return { base, ids, postulacionId };
  }
  const estado = async (id: string) => (await s.db.query.postulaciones.findFirst({ where: eq(postulaciones.id, id) }))!.estado;

  it("saves the ticked boxes first, so the check that follows finds them confirmed (verificar changes nothing else)", async () => {
    const { base, ids, postulacionId } = await borrador();
    expect(await saveAndFinalizePostulacion({ ...base, confirmados: ids, paso: "verificar" })).toBeNull();
    const rows = await s.db.select().from(documentos).where(eq(documentos.postulacionId, postulacionId));
    expect(rows.every((d) => d.confirmadoAt)).toBe(true);
    expect(await estado(postulacionId)).toBe("en_registro");
  });

  it("keeps the boxes it saved when the check refuses, and names what is missing", async () => {
    const { base, ids, postulacionId } = await borrador();
    const error = await saveAndFinalizePostulacion({ ...base, confirmados: ids.slice(1), declaracion: false, paso: "verificar" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(Object.keys((error as AppError).fieldErrors())).toEqual(expect.arrayContaining(["declaracion", `confirmar-${ids[0]}`]));
    const confirmados = (await s.db.select().from(documentos).where(eq(documentos.postulacionId, postulacionId))).filter((d) => d.confirmadoAt);
    expect(confirmados.map((d) => d.id).sort()).toEqual(ids.slice(1).sort());
  });

  it("registers the postulación on «Aceptar» with the message's box ticked", async () => {
    const { base, ids, postulacionId } = await borrador();
    const done = await saveAndFinalizePostulacion({ ...base, confirmados: ids, paso: "aceptar", acepto: true });
    expect(done).toMatchObject({ postulacionId, yaRegistrada: false });
    expect(await estado(postulacionId)).toBe("registrada");
  });
});
