import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { migrate } from "drizzle-orm/pglite/migrator";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_DIR, openDatabase, type Database } from "~/db/client.server";

/**
 * Migration NNNN_tipos_documento on a database from before it: the catalogue is seeded and every existing
 * convocatoria keeps the rules it had, its rows filled from the constant the table replaced.
 */
describe("the tipos_documento migration", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cas-mig-"));
  let database: Database | undefined;
  const rowsOf = async (query: SQL) => ((await database!.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  afterAll(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("fills the rows of the convocatorias that existed before it with the names, limits and order of the old constant", async () => {
    // The migrations before this one, as a deployment from before this change has them.
    const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as { entries: { idx: number; tag: string }[] };
    const esta = journal.entries.find((e) => e.tag.endsWith("_tipos_documento"))!;
    journal.entries = journal.entries.filter((e) => e.idx < esta.idx);
    const antes = new Set(journal.entries.map((e) => `${e.tag}.sql`));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true, filter: (f) => !f.endsWith(".sql") || antes.has(path.basename(f)) });
    writeFileSync(path.join(dir, "meta/_journal.json"), JSON.stringify(journal));
    database = await openDatabase({});
    await migrate(database.db as never, { migrationsFolder: dir });

    const [c] = (await rowsOf(sql`insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado)
        values ('CAS N° 001-2026-ANTES', 'Analista', 'Oficina de Recursos Humanos', 1, 4500, 'suplencia', 'Sede Central', '150101', 'borrador') returning id`)) as { id: string }[];
    await database.db.execute(sql`insert into convocatoria_documentos (convocatoria_id, tipo, requerido) values
      (${c!.id}, 'DNI', true), (${c!.id}, 'CARNET_EXTRANJERIA', true), (${c!.id}, 'EXPERIENCIA', false), (${c!.id}, 'DECLARACIONES_JURADAS', true)`);

    await migrate(database.db as never, { migrationsFolder: MIGRATIONS_DIR });
    const rows = await rowsOf(sql`select tipo, requerido, nombre, max_bytes, orden from convocatoria_documentos where convocatoria_id = ${c!.id} order by orden`);
    expect(rows).toEqual([
      { tipo: "DNI", requerido: true, nombre: "DNI", max_bytes: 5 * 1024 * 1024, orden: 1 },
      { tipo: "CARNET_EXTRANJERIA", requerido: true, nombre: "Carnet de extranjería / otro", max_bytes: 5 * 1024 * 1024, orden: 2 },
      { tipo: "EXPERIENCIA", requerido: false, nombre: "Sustentos de experiencia", max_bytes: 10 * 1024 * 1024, orden: 6 },
      { tipo: "DECLARACIONES_JURADAS", requerido: true, nombre: "Declaraciones Juradas", max_bytes: 5 * 1024 * 1024, orden: 10 },
    ]);
    // A row of a type the catalogue does not know is refused from now on.
    await expect(
      database.db.execute(sql`insert into convocatoria_documentos (convocatoria_id, tipo, requerido, nombre, max_bytes, orden) values (${c!.id}, 'INVENTADO', false, 'Inventado', 1048576, 99)`),
    ).rejects.toThrow();
  });
});
