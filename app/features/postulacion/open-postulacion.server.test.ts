import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postulaciones } from "~/db/schema";
import { createPostulante } from "../../../tests/support/accounts";
import { createConvocatoriaAbierta, HOUR } from "../../../tests/support/postulacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { AppError } from "~/shared/app-error";
import { openPostulacion } from "./open-postulacion.server";

describe("openPostulacion", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());
  const drafts = (convocatoriaId: string) => s.db.select().from(postulaciones).where(eq(postulaciones.convocatoriaId, convocatoriaId));

  it("creates the draft once while the window is open, and shows the applicant's data as registered", async () => {
    const c = await createConvocatoriaAbierta(s);
    const p = await createPostulante(s);
    const first = await openPostulacion({ services: s, postulante: p, convocatoriaId: c.id });
    const again = await openPostulacion({ services: s, postulante: p, convocatoriaId: c.id });
    expect(await drafts(c.id)).toHaveLength(1);
    expect(first.postulacion).toMatchObject({ estado: "en_registro" });
    expect(again.postulacion!.id).toBe(first.postulacion!.id);
    expect(first.convocatoria).toMatchObject({ id: c.id, codigo: c.codigo, abierta: true });
    expect(first.postulante).toEqual({
      nombres: p.nombres,
      apellidos: [p.apellidoPaterno, p.apellidoMaterno].filter(Boolean).join(" "),
      documento: `DNI ${p.numeroDocumento}`,
      email: p.email,
      celular: p.celular,
      direccion: p.direccion,
    });
  });

  it("shows a convocatoria whose window has closed without creating a draft", async () => {
    const now = s.clock.now();
    const c = await createConvocatoriaAbierta(s, { inicio: new Date(now.getTime() - 48 * HOUR), fin: new Date(now.getTime() - HOUR) });
    const page = await openPostulacion({ services: s, postulante: await createPostulante(s), convocatoriaId: c.id });
    expect(page.postulacion).toBeNull();
    expect(page.convocatoria).toMatchObject({ abierta: false, cerrada: true });
    expect(await drafts(c.id)).toHaveLength(0);
  });

  it("is the 404 refusal for a convocatoria that does not exist", async () => {
    const error = await openPostulacion({ services: s, postulante: await createPostulante(s), convocatoriaId: "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 404 });
  });
});
