// Issue 5's benchmark: 5,000 finalized postulaciones in one convocatoria on PostgreSQL.
//   1. The Excel export streams and the ZIP of fichas is prepared by a job and downloaded: peak server RSS ≤ 300 MB for each.
//   2. Computing and publishing the final results (5,000 rows, PDF, 5,000 outbox e-mails) ≤ 5 s.
// Seeded straight with SQL (database cas_bench_eval); fichas are small generated PDFs written
// under a temporary DATA_DIR/files. ONE app process from a production build.
// Usage: node bench/evaluacion.mjs   (run from the built app's directory; see bench/README.md)
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { PDFDocument, StandardFonts } from "pdf-lib";
import pg from "pg";
import { freshDatabase, peakRssMiB, startApp } from "./lib.mjs";

const N = Number(process.env.BENCH_POSTULACIONES ?? 5000);
const url = await freshDatabase("cas_bench_eval");
const pool = new pg.Pool({ connectionString: url, max: 4 });
await migrate(drizzle(pool), { migrationsFolder: "app/db/migrations" });
const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-eval-"));

// ---------------------------------------------------------------- seed
const t0 = Date.now();
const q = (sql, params) => pool.query(sql, params);
const [{ id: gestorId }] = (await q(`insert into staff (email, nombre, role, password_hash) values ('gestor@bench.test', 'Gestor Bench', 'gestor', 'x') returning id`)).rows;
const [{ id: evalId }] = (await q(`insert into staff (email, nombre, role, password_hash) values ('evaluador@bench.test', 'Evaluador Bench', 'evaluador', 'x') returning id`)).rows;
const [{ id: convId }] = (
  await q(`insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado, published_at, postulacion_inicio, postulacion_fin)
    values ('CAS N° 999-2026-BENCH', 'Analista de Recursos Humanos', 'Oficina de Recursos Humanos', 3, 4500, 'indeterminado', 'Sede Central', '150101', 'publicada', now() - interval '20 days', now() - interval '15 days', now() - interval '5 days') returning id`)
).rows;

async function pdfFor(numero) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) doc.addPage([595, 842]).drawText(`Ficha de Postulación ${numero} — página ${i + 1}`, { x: 50, y: 780, size: 14, font });
  return doc.save();
}
const template = await pdfFor("N");
const apellidos = ["Quispe", "Mamani", "Flores", "Rojas", "García", "Huamán", "Torres", "Vargas", "Ñahui", "Castillo"];
const BATCH = 500;
for (let start = 0; start < N; start += BATCH) {
  const n = Math.min(BATCH, N - start);
  const idx = Array.from({ length: n }, (_, i) => start + i);
  const { rows: ps } = await q(
    `insert into postulantes (nacionalidad, tipo_documento, numero_documento, nombres, apellido_paterno, apellido_materno, fecha_nacimiento, sexo, email, celular, direccion, ubigeo, password_hash, consent_version, consent_at)
     select 'PE', 'DNI', lpad((10000000 + i)::text, 8, '0'), 'Nombre ' || i, ($2::text[])[1 + i % 10], 'Bench', '1990-01-01', 'F', 'p' || i || '@bench.test', '987654321', 'Jr. Bench ' || i, '150101', 'x', '2026-11-26', now()
     from unnest($1::int[]) as i returning id`,
    [idx, apellidos],
  );
  const keys = idx.map((i) => `postulaciones/bench/ficha-${i}`);
  for (const key of keys) {
    mkdirSync(path.dirname(path.join(dataDir, "files", key)), { recursive: true });
    writeFileSync(path.join(dataDir, "files", key), template);
  }
  await q(
    `insert into postulaciones (convocatoria_id, postulante_id, estado, numero, finalizada_at, declaracion_at, ficha_key, ficha_size, ficha_version, ficha_registrada)
     select $1, p, 'registrada', '2026-' || lpad(i::text, 6, '0'), now() - interval '6 days', now() - interval '6 days', k, $5, 0, true
     from unnest($2::uuid[], $3::int[], $4::text[]) as t(p, i, k)`,
    [convId, ps.map((r) => r.id), idx, keys, template.length],
  );
}
// Default stages, already published, one evaluador; scores: every curricular, the entrevista for those who passed.
const { rows: etapas } = await q(
  `insert into evaluacion_etapas (convocatoria_id, orden, tipo, nombre, peso, maximo, minimo, estado, closed_at, published_at)
   values ($1, 1, 'curricular', 'Evaluación curricular', 50, 50, 35, 'publicada', now(), now()), ($1, 3, 'entrevista', 'Entrevista personal', 50, 50, 35, 'publicada', now(), now())
   returning id, tipo`,
  [convId],
);
await q(`insert into evaluacion_config (convocatoria_id) values ($1)`, [convId]);
for (const e of etapas) await q(`insert into etapa_evaluadores (etapa_id, staff_id) values ($1, $2)`, [e.id, evalId]);
const cur = etapas.find((e) => e.tipo === "curricular").id;
const ent = etapas.find((e) => e.tipo === "entrevista").id;
// Deterministic distinct scores: the top ones are unique (no tie at the vacantes boundary).
await q(
  `insert into puntajes (etapa_id, postulacion_id, evaluador_id, puntaje)
   select $1, id, $2, round((20 + (row_number() over (order by numero)) % 3000 * 0.01)::numeric, 2) from postulaciones where convocatoria_id = $3`,
  [cur, evalId, convId],
);
await q(
  `insert into puntajes (etapa_id, postulacion_id, evaluador_id, puntaje)
   select $1, p.id, $2, round((35 + (row_number() over (order by p.numero)) % 1500 * 0.01)::numeric, 2)
   from postulaciones p join puntajes c on c.postulacion_id = p.id and c.etapa_id = $4 and c.puntaje >= 35 where p.convocatoria_id = $3`,
  [ent, evalId, convId, cur],
);
// A gestor session past the second factor (the cookie is its token; only the hash is stored).
const token = randomBytes(32).toString("base64url");
await q(`insert into sessions (id_hash, staff_id, expires_at, mfa_verified_at) values ($1, $2, now() + interval '12 hours', now())`, [
  createHash("sha256").update(token).digest("hex"),
  gestorId,
]);
const seeded = (await q(`select count(*)::int n from postulaciones where convocatoria_id = $1 and estado = 'registrada'`, [convId])).rows[0].n;
const aptos = (await q(`select count(*)::int n from puntajes where etapa_id = $1 and puntaje >= 35`, [ent])).rows[0].n;
console.log(`seeded ${seeded} finalized postulaciones (${aptos} reach the final list as aptos), ${seeded} fichas of ${template.length} bytes in ${Date.now() - t0} ms`);

// ---------------------------------------------------------------- run
const app = await startApp({ DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-01", DATABASE_POOL_SIZE: "10" }, { port: 3293 });
const cookie0 = `cas_session=${token}`;
const rssMiB = () => Math.round(Number(readFileSync(`/proc/${app.pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]) / 1024);

/** Downloads a URL to nowhere, polling the server's RSS; returns bytes, seconds and the peak. */
async function download(p) {
  let peak = rssMiB();
  const before = peak;
  const poll = setInterval(() => (peak = Math.max(peak, rssMiB())), 10);
  const started = performance.now();
  const res = await fetch(app.base + p, { headers: { cookie: cookie0 } });
  if (res.status !== 200) throw new Error(`${p}: ${res.status}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += chunk.length;
  clearInterval(poll);
  return { bytes, seconds: (performance.now() - started) / 1000, before, peak };
}

/**
 * The fichas ZIP is a background job (docs/evaluacion.md, "Exports"): "Preparar ZIP de fichas"
 * (a POST), the status page polled until it offers the ZIP, then the download; the server's RSS
 * polled over all of it.
 */
async function prepareZip() {
  const base = `/admin/convocatorias/${convId}/postulaciones/fichas`;
  const form = await fetch(app.base + base, { headers: { cookie: cookie0 } });
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("csrf="));
  const token = (await form.text()).match(/name="csrf" value="([^"]+)"/)[1];
  const cookie = csrfCookie ? `${cookie0}; ${csrfCookie}` : cookie0;
  let peak = rssMiB();
  const before = peak;
  const poll = setInterval(() => (peak = Math.max(peak, rssMiB())), 10);
  const started = performance.now();
  const asked = await fetch(app.base + base, {
    method: "POST",
    headers: { cookie, origin: app.base, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrf: token }),
    redirect: "manual",
  });
  if (asked.status !== 302) throw new Error(`prepare zip: ${asked.status}`);
  const status = asked.headers.get("location");
  while (!(await (await fetch(app.base + status, { headers: { cookie: cookie0 } })).text()).includes(`${status}/zip`)) await new Promise((r) => setTimeout(r, 200));
  const preparedS = (performance.now() - started) / 1000;
  clearInterval(poll);
  const got = await download(`${status}/zip`);
  return { ...got, seconds: preparedS + got.seconds, preparedS, before, peak: Math.max(peak, got.peak) };
}

const rows = [];
const zip = await prepareZip();
rows.push({ what: `ZIP of fichas (job ${zip.preparedS.toFixed(2)} s + download)`, "size MiB": (zip.bytes / 2 ** 20).toFixed(1), "time s": zip.seconds.toFixed(2), "RSS before MiB": zip.before, "peak RSS MiB": zip.peak });
const excel = await download(`/admin/convocatorias/${convId}/postulaciones/excel`);
rows.push({ what: "Excel export (.xlsx)", "size MiB": (excel.bytes / 2 ** 20).toFixed(1), "time s": excel.seconds.toFixed(2), "RSS before MiB": excel.before, "peak RSS MiB": excel.peak });

// Compute (the gestor's evaluation page: every stage and the final merit order) and publish.
const page = await fetch(`${app.base}/admin/convocatorias/${convId}/evaluacion`, { headers: { cookie: cookie0 } });
const csrfCookie = page.headers.getSetCookie().map((c) => c.split(";")[0]).find((c) => c.startsWith("csrf="));
const html = await page.text();
const csrf = html.match(/name="csrf" value="([^"]+)"/)[1];
const cookie = `${cookie0}; ${csrfCookie}`;
let t = performance.now();
const again = await fetch(`${app.base}/admin/convocatorias/${convId}/evaluacion`, { headers: { cookie } });
await again.text();
const computeS = (performance.now() - t) / 1000;
t = performance.now();
const pub = await fetch(`${app.base}/admin/convocatorias/${convId}/evaluacion`, {
  method: "POST",
  headers: { cookie, origin: app.base, "sec-fetch-site": "same-origin", "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ csrf, intent: "publicar", alcance: "final" }),
  redirect: "manual",
});
const publishS = (performance.now() - t) / 1000;
if (pub.status !== 302) throw new Error(`publish: ${pub.status} ${(await pub.text()).slice(0, 500)}`);
const mails = (await q(`select count(*)::int n from outbox where cause_key like 'resultados:%'`)).rows[0].n;
const pubRow = (await q(`select jsonb_array_length(filas) n, pdf_size from publicaciones where alcance = 'final'`)).rows[0];
rows.push({ what: "compute: evaluation page (GET)", "time s": computeS.toFixed(2) });
rows.push({ what: `publish final (${pubRow.n} rows, PDF ${(pubRow.pdf_size / 1024).toFixed(0)} KiB, ${mails} e-mails)`, "time s": publishS.toFixed(2) });
const hwm = peakRssMiB(app.pid);
console.table(rows);
console.log(`server peak RSS over the whole run (VmHWM): ${hwm} MiB`);
await app.stop();
await pool.end();

const ok = excel.peak <= 300 && zip.peak <= 300 && publishS <= 5 && computeS <= 5;
console.log(ok ? "targets met: exports peak RSS ≤ 300 MB, compute and publish ≤ 5 s" : "TARGET MISSED");
process.exit(ok ? 0 : 1);
