import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../../../tests/support/migrations";
import { getConvocatoria } from "./get-convocatoria.server";

/**
 * Migration NNNN_convocatoria_perfiles on a database from before it: every convocatoria keeps
 * its requirements, now read from convocatoria_perfiles, and the wide columns leave the rows
 * the public list reads.
 */
describe("the convocatoria_perfiles migration", () => {
  let before: Awaited<ReturnType<typeof databaseBefore>> | undefined;
  afterAll(() => before?.close());

  it("moves each convocatoria's requirements to its perfil row and drops the columns", async () => {
    before = await databaseBefore("_convocatoria_perfiles");
    const [c] = (await before.rowsOf(sql`insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado,
        formacion_academica, experiencia_general, experiencia_especifica, cursos_especializacion, conocimientos, competencias)
      values ('CAS N° 002-2026-ANTES', 'Analista', 'Oficina de Recursos Humanos', 1, 4500, 'suplencia', 'Sede Central', '150101', 'borrador',
        'Bachiller en Administración.', 'Dos (2) años.', 'Un (1) año en el sector público.', 'Curso de gestión pública.', 'Ofimática.', 'Trabajo en equipo.')
      returning id`)) as { id: string }[];

    await before.migrateAll();
    const detalle = await getConvocatoria(before.database.db, c!.id, new Date());
    expect(detalle?.requisitos).toEqual({
      formacionAcademica: "Bachiller en Administración.",
      experienciaGeneral: "Dos (2) años.",
      experienciaEspecifica: "Un (1) año en el sector público.",
      cursosEspecializacion: "Curso de gestión pública.",
      conocimientos: "Ofimática.",
      competencias: "Trabajo en equipo.",
    });
    const columnas = await before.rowsOf(sql`select column_name from information_schema.columns where table_name = 'convocatorias'`);
    expect(columnas.map((r) => r.column_name)).not.toContain("formacion_academica");
  });
});
