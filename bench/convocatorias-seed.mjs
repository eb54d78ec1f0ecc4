// Seeds N convocatorias (default 5,000) into a PostgreSQL database for the list benchmark:
// every state, windows around now, 7 cronograma stages and 9 document rows each.
// Usage: node bench/convocatorias-seed.mjs <database-url> [count]
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";

/** The list page the benchmarks measure: a search word and a filter (125 of the 5,000 match, page 1 of 7). */
export const LIST_PATH = "/convocatorias?q=analista&estado=en_postulacion";

/**
 * Adds `count` convocatorias numbered after `offset` (so a database of 5,000 grows to 50,000 by
 * a second call with offset 5,000), with their cronograma and document types.
 */
export async function seedConvocatorias(url, count = 5000, migrationsFolder = "app/db/migrations", offset = 0) {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  await migrate(drizzle(pool), { migrationsFolder });
  const puestos = [
    "Técnico en Archivo", "Especialista en Gestión Migratoria", "Analista de Soporte Informático",
    "Asistente Administrativo", "Abogado Especialista en Contrataciones", "Inspector Migratorio",
    "Operador de Atención al Ciudadano", "Especialista en Presupuesto Público", "Desarrollador de Software",
    "Chofer", "Comunicador Social", "Contador", "Psicólogo Organizacional", "Analista de Recursos Humanos",
  ];
  const unidades = [
    "Oficina de Recursos Humanos", "Oficina de Tecnologías de la Información", "Dirección de Inmigración",
    "Oficina de Administración y Finanzas", "Oficina de Asesoría Jurídica", "Jefatura Zonal de Arequipa",
    "Jefatura Zonal de Cusco", "Jefatura Zonal de Piura", "Jefatura Zonal de Tacna", "Dirección de Nacionalización",
  ];
  const ubigeos = ["150105", "150113", "040101", "080101", "200101", "230101", "130101", "140101"];
  const text = "Requisito del perfil del puesto, con varias palabras para que la fila tenga un tamaño realista. ".repeat(3);
  await pool.query(
    `insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo,
       bases_key, bases_filename, bases_size, bases_sha256, estado, motivo, published_at, closed_at,
       postulacion_inicio, postulacion_fin, busqueda)
     select 'CAS N° ' || lpad(g::text, 5, '0') || '-2026-BENCH',
       ($1::text[])[1 + g % array_length($1::text[], 1)],
       ($2::text[])[1 + (g / 3) % array_length($2::text[], 1)],
       1 + g % 5, 2000 + (g % 60) * 100, (array['indeterminado','necesidad_transitoria','suplencia','confianza'])[1 + g % 4]::tipo_contrato,
       'Sede ' || g, ($3::text[])[1 + g % array_length($3::text[], 1)],
       'bases/bench', 'bases.pdf', 120000, repeat('a', 64),
       (case when g % 20 = 0 then 'borrador' when g % 20 = 1 then 'cancelada' when g % 20 = 2 then 'desierta'
             when g % 10 in (3, 4, 5) then 'concluida' else 'publicada' end)::estado_convocatoria,
       case when g % 20 in (1, 2) then 'Motivo de prueba' end,
       case when g % 20 <> 0 then now() - make_interval(mins => g * 7) end,
       case when g % 20 in (1, 2) or g % 10 in (3, 4, 5) then now() - interval '1 day' end,
       now() - make_interval(days => (g % 40) - 10) , now() - make_interval(days => (g % 40) - 10) + interval '10 days',
       ''
     from generate_series($5::int + 1, $5::int + $4::int) g`,
    [puestos, unidades, ubigeos, count, offset],
  );
  // The perfil del puesto: six texts of ~300 characters each, in their own table (as the app keeps them).
  await pool.query(
    `insert into convocatoria_perfiles (convocatoria_id, formacion_academica, experiencia_general, experiencia_especifica,
       cursos_especializacion, conocimientos, competencias)
     select id, $1, $1, $1, $1, $1, $1 from convocatorias c
     where not exists (select 1 from convocatoria_perfiles p where p.convocatoria_id = c.id)`,
    [text],
  );
  // The normalized search key, as the app writes it (lower-case, accents stripped).
  await pool.query(`update convocatorias set busqueda = lower(translate(codigo || ' ' || puesto || ' ' || unidad_organica,
    'áéíóúüñÁÉÍÓÚÜÑ', 'aeiouunAEIOUUN')) where busqueda = ''`);
  await pool.query(`insert into cronograma_etapas (convocatoria_id, orden, nombre, inicio, fin, es_postulacion)
    select c.id, s.orden, s.nombre,
      c.postulacion_inicio + make_interval(days => (s.orden - 2) * 11),
      c.postulacion_inicio + make_interval(days => (s.orden - 2) * 11 + 10), s.orden = 2
    from convocatorias c cross join (values (1,'Publicación'),(2,'Postulación'),(3,'Evaluación curricular'),
      (4,'Resultados de la evaluación curricular'),(5,'Entrevista personal'),(6,'Resultado final'),(7,'Suscripción del contrato')) s(orden, nombre)
    where not exists (select 1 from cronograma_etapas e where e.convocatoria_id = c.id)`);
  await pool.query(`insert into convocatoria_documentos (convocatoria_id, tipo, requerido, nombre, max_bytes, orden)
    select c.id, d.tipo, d.requerido, t.nombre, t.max_bytes, t.orden from convocatorias c cross join (values ('DNI', true), ('CARNET_EXTRANJERIA', true),
      ('FICHA_CURRICULAR', true), ('FORMACION_ACADEMICA', true), ('CURSOS_CAPACITACIONES', false), ('EXPERIENCIA', true),
      ('LICENCIADO_FFAA', false), ('DISCAPACIDAD_CONADIS', false), ('DECLARACIONES_JURADAS', true)) d(tipo, requerido)
      join tipos_documento t on t.codigo = d.tipo
    where not exists (select 1 from convocatoria_documentos x where x.convocatoria_id = c.id)`);
  await pool.query("vacuum analyze"); // the update above left a dead copy of every row
  const { rows } = await pool.query("select count(*)::int as n from convocatorias");
  await pool.end();
  return rows[0].n;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url, count] = process.argv.slice(2);
  if (!url) {
    console.error("usage: node bench/convocatorias-seed.mjs <database-url> [count]");
    process.exit(2);
  }
  console.log(`${await seedConvocatorias(url, Number(count ?? 5000))} convocatorias`);
}
