import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "../../../tests/support/accounts";
import { basesUpload } from "../../../tests/support/convocatorias";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { findFormatoVigente } from "./find-formato.server";
import { retireFormato, uploadFormato } from "./formatos.server";

describe("findFormatoVigente", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());

  it("finds a current format to download, and nothing once it is retired or for an id that is not one", async () => {
    const actor = { type: "staff" as const, id: (await createStaff(s, "administrador")).id };
    const { id } = await uploadFormato({ services: s, actor, titulo: "Declaración jurada A", archivo: await basesUpload(s, "a.pdf") });
    expect(await findFormatoVigente(s.db, id)).toMatchObject({ id, titulo: "Declaración jurada A", contentType: "application/pdf" });
    await retireFormato({ services: s, actor, id });
    expect(await findFormatoVigente(s.db, id)).toBeUndefined();
    expect(await findFormatoVigente(s.db, "no-es-un-id")).toBeUndefined();
  });
});
