import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createConvocatoria, createPostulaciones } from "../../../tests/support/evaluacion";
import { createTestServices, type TestServices } from "../../../tests/support/services";
import { AppError } from "~/shared/app-error";
import { listPostulacionesRegistradas } from "./list-postulaciones-registradas.server";

describe("listPostulacionesRegistradas", () => {
  let s: TestServices;
  beforeAll(async () => {
    s = await createTestServices();
  });
  afterAll(async () => s?.close());
  const sinFiltro = { q: null, situacion: null, orden: null, pagina: null };

  it("counts the registered postulaciones (drafts only counted), searches without accents, sorts and ignores unknown filters", async () => {
    const conv = await createConvocatoria(s);
    const ps = await createPostulaciones(s, conv.id, 3, { borradores: 2 });
    const todo = await listPostulacionesRegistradas(s.db, conv.id, { ...sinFiltro, situacion: "inventada", orden: "inventado", pagina: "99" });
    expect(todo).toMatchObject({ total: 3, borradores: 2, encontradas: 3, pagina: 1, paginas: 1, filtro: { q: "", situacion: "", orden: "numero" } });
    expect(todo.conteo).toEqual({ pendiente: 3, apto: 0, no_apto: 0, ganador: 0, accesitario: 0 });
    expect(todo.filas.map((f) => f.numero)).toEqual(ps.map((p) => p.numero).sort());

    // The fixtures' second applicant is "Mamani Prueba, Nombre2"; "MAMÁNI" finds it.
    const una = await listPostulacionesRegistradas(s.db, conv.id, { ...sinFiltro, q: "  MAMÁNI " });
    expect(una.filas.map((f) => f.id)).toEqual([ps[1]!.id]);
    expect(una.filtro.q).toBe("MAMÁNI");
    const porDocumento = await listPostulacionesRegistradas(s.db, conv.id, { ...sinFiltro, q: ps[2]!.numeroDocumento });
    expect(porDocumento.filas.map((f) => f.id)).toEqual([ps[2]!.id]);
    const porNombre = await listPostulacionesRegistradas(s.db, conv.id, { ...sinFiltro, orden: "nombre" });
    expect(porNombre.filas.map((f) => f.nombre)).toEqual([...porNombre.filas.map((f) => f.nombre)].sort((a, b) => a.localeCompare(b, "es")));
    expect((await listPostulacionesRegistradas(s.db, conv.id, { ...sinFiltro, situacion: "ganador" })).filas).toEqual([]);
  });

  it("is the 404 refusal for a convocatoria that does not exist", async () => {
    const error = await listPostulacionesRegistradas(s.db, "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b", sinFiltro).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
  });
});
