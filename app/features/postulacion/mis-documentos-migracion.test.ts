import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { databaseBefore } from "../../../tests/support/migrations";

/**
 * Migration NNNN_mis_documentos on a database with documentos from before it: each becomes a file
 * of its applicant's Mis documentos (the same bytes in two postulaciones: one file) and its link,
 * at orden 0, with its confirmation.
 */
describe("the mis_documentos migration", () => {
  let before: Awaited<ReturnType<typeof databaseBefore>> | undefined;
  afterAll(async () => before?.close());

  it("moves every old document into the vault and keeps each postulación's files and confirmations", async () => {
    before = await databaseBefore("_mis_documentos");
    const { database, rowsOf } = before;

    const [p] = (await rowsOf(sql`insert into postulantes (tipo_documento, numero_documento, nombres, apellido_paterno, email, celular, direccion, ubigeo, password_hash, consent_version, consent_at, nacionalidad, fecha_nacimiento, sexo)
        values ('DNI', '40000001', 'Ana', 'Quispe', 'ana@correo.test', '987654321', 'Jr. Uno 1', '150101', 'x', 'v', now(), 'PE', '1990-01-01', 'F') returning id`)) as { id: string }[];
    const conv = async (codigo: string) =>
      ((await rowsOf(sql`insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado)
        values (${codigo}, 'Analista', 'ORH', 1, 4500, 'suplencia', 'Sede Central', '150101', 'borrador') returning id`)) as { id: string }[])[0]!.id;
    const post = async (convocatoriaId: string) =>
      ((await rowsOf(sql`insert into postulaciones (convocatoria_id, postulante_id) values (${convocatoriaId}, ${p!.id}) returning id`)) as { id: string }[])[0]!.id;
    const [p1, p2] = [await post(await conv("CAS 1")), await post(await conv("CAS 2"))];
    const doc = (postulacionId: string, tipo: string, sha: string, key: string, confirmado: boolean) =>
      database.db.execute(sql`insert into documentos (postulacion_id, tipo, filename, size, sha256, pages, original_key, sanitized_key, sanitized_size, confirmado_at)
        values (${postulacionId}, ${tipo}, ${`${key}.pdf`}, 1000, ${sha}, 2, ${key}, ${key}, 1000, ${confirmado ? sql`now()` : null})`);
    await doc(p1, "DNI", "a".repeat(64), "k-dni-1", true);
    await doc(p1, "EXPERIENCIA", "b".repeat(64), "k-exp-1", false);
    await doc(p2, "DNI", "a".repeat(64), "k-dni-2", true);

    await before.migrateAll();
    const archivos = await rowsOf(sql`select sha256, original_key, tipo from archivos where postulante_id = ${p!.id} order by sha256`);
    expect(archivos).toEqual([
      { sha256: "a".repeat(64), original_key: "k-dni-1", tipo: "DNI" },
      { sha256: "b".repeat(64), original_key: "k-exp-1", tipo: "EXPERIENCIA" },
    ]);
    const links = await rowsOf(sql`select d.postulacion_id, d.tipo, d.orden, d.confirmado_at is not null as confirmado, a.original_key
      from documentos d join archivos a on a.id = d.archivo_id order by d.postulacion_id = ${p1} desc, d.tipo`);
    expect(links).toEqual([
      { postulacion_id: p1, tipo: "DNI", orden: 0, confirmado: true, original_key: "k-dni-1" },
      { postulacion_id: p1, tipo: "EXPERIENCIA", orden: 0, confirmado: false, original_key: "k-exp-1" },
      { postulacion_id: p2, tipo: "DNI", orden: 0, confirmado: true, original_key: "k-dni-1" },
    ]);
  });
});
