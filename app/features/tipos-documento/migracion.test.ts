import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../../../tests/support/migrations";

/**
 * Migration NNNN_tipos_documento on a database from before it: the catalogue is seeded and every existing
 * convocatoria keeps the rules it had, its rows filled from the constant the table replaced.
 */
describe("the tipos_documento migration", () => {
  let before: Awaited<ReturnType<typeof databaseBefore>> | undefined;
  afterAll(() => before?.close());

  it("fills the rows of the convocatorias that existed before it with the names, limits and order of the old constant", async () => {
    // The migrations before this one, as a deployment from before this change has them.
    before = await databaseBefore("_tipos_documento");
    const { rowsOf, execute } = before;

    const [c] = (await rowsOf(sql`insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado)
        values ('CAS N° 001-2026-ANTES', 'Analista', 'Oficina de Recursos Humanos', 1, 4500, 'suplencia', 'Sede Central', '150101', 'borrador') returning id`)) as { id: string }[];
    await execute(sql`insert into convocatoria_documentos (convocatoria_id, tipo, requerido) values
      (${c!.id}, 'DNI', true), (${c!.id}, 'CARNET_EXTRANJERIA', true), (${c!.id}, 'EXPERIENCIA', false), (${c!.id}, 'DECLARACIONES_JURADAS', true)`);

    await before.migrateAll();
    const rows = await rowsOf(sql`select tipo, requerido, nombre, max_bytes, orden from convocatoria_documentos where convocatoria_id = ${c!.id} order by orden`);
    expect(rows).toEqual([
      { tipo: "DNI", requerido: true, nombre: "DNI", max_bytes: 5 * 1024 * 1024, orden: 1 },
      { tipo: "CARNET_EXTRANJERIA", requerido: true, nombre: "Carnet de extranjería / otro", max_bytes: 5 * 1024 * 1024, orden: 2 },
      { tipo: "EXPERIENCIA", requerido: false, nombre: "Sustentos de experiencia", max_bytes: 10 * 1024 * 1024, orden: 6 },
      { tipo: "DECLARACIONES_JURADAS", requerido: true, nombre: "Declaraciones Juradas", max_bytes: 5 * 1024 * 1024, orden: 10 },
    ]);
    // A row of a type the catalogue does not know is refused from now on.
    await expect(
      execute(sql`insert into convocatoria_documentos (convocatoria_id, tipo, requerido, nombre, max_bytes, orden) values (${c!.id}, 'INVENTADO', false, 'Inventado', 1048576, 99)`),
    ).rejects.toThrow();
  });
});
