import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "../../../tests/support/accounts";
import { createConvocatoria, createPostulaciones } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { findDocumentoLegible } from "./find-documento.server";
import { documentosDe } from "../../../tests/support/postulacion";

describe("findDocumentoLegible", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("gives the applicant their own document, and nobody else anything (as for an unknown id)", async () => {
    const conv = await createConvocatoria(s);
    const [mia, ajena] = await createPostulaciones(s, conv.id, 2, { documentos: ["DNI"] });
    const [doc] = await documentosDe(s.db, mia!.id);
    const staff = await createStaff(s, "gestor");
    const as = (postulanteId: string) => ({ kind: "postulante" as const, postulanteId, sessionHash: "h", lastSeenAt: s.clock.now() });

    expect(await findDocumentoLegible(s.db, as(mia!.postulanteId), doc!.id)).toEqual({ originalKey: doc!.originalKey, filename: doc!.filename, size: doc!.size });
    expect(await findDocumentoLegible(s.db, as(ajena!.postulanteId), doc!.id)).toBeNull();
    expect(await findDocumentoLegible(s.db, { kind: "staff", staffId: staff.id, sessionHash: "h", lastSeenAt: s.clock.now() }, doc!.id)).toBeNull();
    expect(await findDocumentoLegible(s.db, as(mia!.postulanteId), "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b")).toBeNull();
  });
});
