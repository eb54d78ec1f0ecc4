import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicaciones } from "~/db/schema";
import { createStaff } from "../../../tests/support/accounts";
import { createConvocatoria } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { findPublicacionPdf } from "./find-publicacion-pdf.server";

describe("findPublicacionPdf", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  async function publicada(convocatoriaId: string, pdfKey: string | null) {
    const gestor = await createStaff(s, "gestor");
    const [row] = await s.db
      .insert(publicaciones)
      .values({ convocatoriaId, alcance: "final", version: 2, titulo: "Resultado final", filas: [], pdfKey, pdfSize: pdfKey ? 1234 : null, publishedAt: s.clock.now(), publishedBy: gestor.id })
      .returning();
    return row!;
  }

  it("gives a published list's PDF with its file name as people read it (the download adds the ASCII fallback)", async () => {
    const conv = await createConvocatoria(s, { codigo: "CAS N° 007-2026-PRUEBA" });
    const pub = await publicada(conv.id, "resultados/final.pdf");
    expect(await findPublicacionPdf(s.db, conv.id, pub.id)).toEqual({ key: "resultados/final.pdf", size: 1234, filename: "Resultado final - CAS N° 007-2026-PRUEBA - v2.pdf" });
  });

  it("gives nothing for another convocatoria's publication, one without a PDF, or a borrador's", async () => {
    const conv = await createConvocatoria(s);
    const pub = await publicada(conv.id, "resultados/otra.pdf");
    expect(await findPublicacionPdf(s.db, (await createConvocatoria(s)).id, pub.id)).toBeNull();
    const sinPdf = await publicada((await createConvocatoria(s)).id, null);
    expect(await findPublicacionPdf(s.db, sinPdf.convocatoriaId, sinPdf.id)).toBeNull();
    const borrador = await createConvocatoria(s, { estado: "borrador" });
    const deBorrador = await publicada(borrador.id, "resultados/borrador.pdf");
    expect(await findPublicacionPdf(s.db, borrador.id, deBorrador.id)).toBeNull();
  });
});
