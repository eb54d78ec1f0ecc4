// Memory of one convocatoria's bases upload (issue 13, "One upload reader"; docs/decisions/008):
// how much the server's RSS grows while a gestor creates a convocatoria with a 20 MB bases PDF
// (the largest accepted), and while a file just over 20 MB is refused (413). Two builds
// (bench/build-rev.sh) on one PostgreSQL database (cas_bench_bases), alternated round by round
// (the order flips every round). Each upload is measured on a FRESH app process warmed up by
// one small bases upload (the route's modules and pdf-lib loaded), since RSS, once grown, is not
// given back. Per upload: the server's VmRSS just before, its highest VmRSS while the request
// runs (polled every 5 ms), the growth between the two; printed: medians and maxima, the VmHWM
// of the process that accepted, and the temp files left under DATA_DIR/tmp.
//
//   bash bench/build-rev.sh <old> /tmp/cas-bases-a && bash bench/build-rev.sh <new> /tmp/cas-bases-b
//   node bench/bases-upload.mjs --dirs /tmp/cas-bases-a,/tmp/cas-bases-b [--rounds 5] [--mb 20]
// (A build from before 2e90dc5 needs a node_modules with @remix-run/form-data-parser: docs/decisions/008.)
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { arg, freshDatabase, median, peakRssMiB, postMultipart, startApp } from "./lib.mjs";
import { bigPdf, SESSION_SECRET } from "./uploads.mjs";

const dirs = String(arg("dirs", "")).split(",").filter(Boolean);
if (dirs.length !== 2) throw new Error("--dirs A,B: two built trees");
const rounds = Number(arg("rounds", 5));
const MB = 1024 * 1024;
const fileBytes = Number(arg("mb", 20)) * MB;

const url = await freshDatabase("cas_bench_bases");
const pool = new pg.Pool({ connectionString: url, max: 2 });
await migrate(drizzle(pool), { migrationsFolder: "app/db/migrations" });
const [{ id: gestorId }] = (
  await pool.query(`insert into staff (email, nombre, role, password_hash) values ('gestor@bench.test', 'Gestor Bench', 'gestor', 'x') returning id`)
).rows;
// A gestor session past the second factor (the cookie is its token; only the hash is stored).
const token = randomBytes(32).toString("base64url");
await pool.query(`insert into sessions (id_hash, staff_id, expires_at, mfa_verified_at) values ($1, $2, now() + interval '12 hours', now())`, [
  createHash("sha256").update(token).digest("hex"),
  gestorId,
]);

/** Lima date and time (UTC−5, no daylight saving) of a moment. */
const lima = (d) => {
  const t = new Date(d.getTime() - 5 * 3600_000).toISOString();
  return { fecha: t.slice(0, 10), hora: t.slice(11, 16) };
};

/** A valid convocatoria form: one stage, the Postulación window, in a week's time. */
function fields() {
  const inicio = lima(new Date(Date.now() + 7 * 86_400_000));
  const fin = lima(new Date(Date.now() + 14 * 86_400_000));
  return {
    intent: "guardar",
    codigo: `CAS N° ${randomBytes(3).toString("hex")}-2026-BENCH`,
    puesto: "Analista de Recursos Humanos",
    unidadOrganica: "Oficina de Recursos Humanos",
    vacantes: "1",
    remuneracion: "4500.00",
    tipoContrato: "necesidad_transitoria",
    sede: "Sede central",
    ubigeo: "150105",
    "etapa-0-nombre": "Postulación",
    "etapa-0-inicioFecha": inicio.fecha,
    "etapa-0-inicioHora": inicio.hora,
    "etapa-0-finFecha": fin.fecha,
    "etapa-0-finHora": fin.hora,
  };
}

/** The CSRF cookie and token of the gestor's "Nueva convocatoria" page. */
async function csrfOf(base) {
  const page = await fetch(`${base}/admin/convocatorias/nueva`, { headers: { cookie: `cas_session=${token}` } });
  const html = await page.text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error(`no CSRF token (status ${page.status})`);
  const cookie = [`cas_session=${token}`, ...page.headers.getSetCookie().map((c) => c.split(";")[0])].join("; ");
  return { csrf, cookie };
}

/** Posts the form as a browser does (csrf first, the fields, the bases). */
async function postBases(base, bytes) {
  const { csrf, cookie } = await csrfOf(base);
  return postMultipart(`${base}/admin/convocatorias/nueva`, { cookie, origin: base }, { csrf, ...fields() }, { field: "bases", name: "bases.pdf", bytes });
}

const tempFiles = (dataDir) => {
  try {
    return readdirSync(path.join(dataDir, "tmp")).length;
  } catch {
    return 0; // no DATA_DIR/tmp: nothing was ever written there
  }
};

const rssMiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, "utf8").match(/VmRSS:\s+(\d+)/)[1]) / 1024;

/** One upload: the server's RSS before, its peak while the request runs, the status. */
async function measured(app, bytes) {
  await new Promise((r) => setTimeout(r, 300)); // let the previous request's garbage settle
  const before = rssMiB(app.pid);
  let peak = before;
  const poll = setInterval(() => (peak = Math.max(peak, rssMiB(app.pid))), 5);
  try {
    const status = await postBases(app.base, bytes);
    peak = Math.max(peak, rssMiB(app.pid));
    return { status, before, growth: peak - before };
  } finally {
    clearInterval(poll);
  }
}

const good = Buffer.from(await bigPdf(fileBytes - 64 * 1024, "Bases del proceso"));
const small = Buffer.from(await bigPdf(64 * 1024, "Bases del proceso"));
const tooLarge = Buffer.alloc(fileBytes + 1, 0x61);
tooLarge.write("%PDF-1.7\n");

/**
 * One upload on a fresh process of a build, warmed up by a small bases upload (the route's
 * modules and pdf-lib loaded): RSS, once grown, is not given back, so every measurement
 * starts from the same state.
 */
async function onFreshApp(dir, i, bytes) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-bases-"));
  const app = await startApp(
    { DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET, DATABASE_POOL_SIZE: "4" },
    { cwd: dir, port: Number(arg("port", 4780)) + i },
  );
  try {
    if ((await postBases(app.base, small)) !== 302) throw new Error(`${dir}: the warm-up upload was not accepted`);
    const result = await measured(app, bytes);
    return { ...result, hwm: peakRssMiB(app.pid), tempFiles: tempFiles(dataDir) };
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

try {
  const results = dirs.map(() => ({ accepted: [], refused: [], hwm: [], statuses: new Set(), tempFiles: 0 }));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const i of order) {
      const ok = await onFreshApp(dirs[i], i, good);
      const big = await onFreshApp(dirs[i], i, tooLarge);
      results[i].accepted.push(ok.growth);
      results[i].refused.push(big.growth);
      results[i].hwm.push(ok.hwm);
      results[i].statuses.add(`${ok.status}/${big.status}`);
      results[i].tempFiles += ok.tempFiles + big.tempFiles;
    }
  }
  const rows = results.map((r, i) => ({
    build: dirs[i],
    [`${fileBytes / MB} MB accepted: median growth MiB`]: median(r.accepted).toFixed(1),
    "max MiB": Math.max(...r.accepted).toFixed(1),
    "over the limit (413): median growth MiB": median(r.refused).toFixed(1),
    "max MiB ": Math.max(...r.refused).toFixed(1),
    "VmHWM after accepting, median MiB": median(r.hwm),
    statuses: [...r.statuses].join(" "),
    "temp files left": r.tempFiles,
  }));
  console.table(rows);
  console.log(JSON.stringify({ date: new Date().toISOString(), node: process.version, loadAverage: loadavg().map((x) => Number(x.toFixed(2))), rounds, rows }));
} finally {
  await pool.end();
}
