// The forked Express → React Router handler (server/request-handler.ts) against the one it
// forks, @react-router/express 7.18.4's createRequestHandler (docs/decisions/007). Two
// production builds of this tree in temp dirs (as bench/in-copy.sh makes them, sharing its
// node_modules): "fork" as it is, "upstream" with server/request-handler.ts replaced by
// bench/upstream-request-handler.ts. Both run at once, each on its own fresh PostgreSQL
// database (BENCH_PG_URL) and DATA_DIR, and are measured in turn, the order flipped every
// round, after one warm-up round (not counted):
//   page:    `wrk -t1 -c32 -d<duration>s --latency` on /privacidad (a trivial server-rendered
//            page, no query): req/s, p50, p99, and the server process's CPU per request;
//   uploads: N concurrent uploads of M MB ("CARGAR", no-JS multipart, node:http, as
//            bench/uploads.mjs), new applicants every round: wall time, the server process's
//            own CPU (not its PDF checker's), its peak RSS during them (VmRSS every 10 ms).
// Prints every round and the medians of the per-round ratios, upstream / fork.
//
//   node bench/request-handler.mjs [--rounds 5] [--duration 10] [--n 20] [--mb 10] [--port 3421]
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freshDatabase, median, procCpu, startApp } from "./lib.mjs";
import { bigPdf, browser, postUpload, seed, SESSION_SECRET } from "./uploads.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const rounds = arg("rounds", 5);
const duration = arg("duration", 10);
const n = arg("n", 20);
const mb = arg("mb", 10);
const port = arg("port", 3421);
const src = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");

/** A production build of this tree in `dir`; `upstream`: with the upstream handler. */
function build(dir, upstream) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const excluded = ["node_modules", "build", ".git", "data", ".cache", "test-results"].flatMap((e) => ["--exclude", e]);
  execFileSync("rsync", ["-a", ...excluded, `${src}/`, `${dir}/`]);
  symlinkSync(path.join(src, "node_modules"), path.join(dir, "node_modules"));
  if (upstream) copyFileSync(path.join(dir, "bench/upstream-request-handler.ts"), path.join(dir, "server/request-handler.ts"));
  execFileSync("npx", ["react-router", "build"], { cwd: dir, stdio: "ignore" });
  execFileSync(process.execPath, ["scripts/precompress.mjs"], { cwd: dir, stdio: "ignore" });
}

/** wrk's figures: req/s, p50 and p99 in ms, requests. */
function runWrk(base) {
  const out = execFileSync("wrk", ["-t1", "-c32", `-d${duration}s`, "--latency", `${base}/privacidad`], { encoding: "utf8" });
  const ms = (label) => {
    const [, value, unit] = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(out) ?? [];
    return Number(value) * { us: 0.001, ms: 1, s: 1000 }[unit];
  };
  const errors = /Non-2xx or 3xx responses: (\d+)/.exec(out);
  if (errors) throw new Error(`wrk: ${errors[1]} answers were not 2xx/3xx`);
  return {
    reqPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50: ms(50),
    p99: ms(99),
    requests: Number(/(\d+) requests in/.exec(out)[1]),
  };
}

const ownCpu = (pid) => {
  const c = procCpu(pid);
  return c.user + c.system;
};

async function measurePage(side) {
  const cpu0 = ownCpu(side.app.pid);
  const r = runWrk(side.app.base);
  const cpuMsPerRequest = ((ownCpu(side.app.pid) - cpu0) * 1000) / r.requests;
  return { ...r, cpuMsPerRequest: Number(cpuMsPerRequest.toFixed(3)) };
}

async function measureUploads(side, files, round) {
  const people = side.people.slice(round * n, (round + 1) * n);
  const clients = await Promise.all(people.map((p) => browser(side.app.base, p, side.convocatoriaId)));
  const rssKiB = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${side.app.pid}/status`, "utf8"))[1]);
  const before = rssKiB();
  let peak = before;
  const poll = setInterval(() => (peak = Math.max(peak, rssKiB())), 10);
  const cpu0 = ownCpu(side.app.pid);
  const t0 = performance.now();
  const statuses = await Promise.all(
    clients.map((c, i) => postUpload(side.app.base, `/postulacion/${side.convocatoriaId}`, c, c.csrf, "FORMACION_ACADEMICA", files[i], `s-${i}.pdf`)),
  );
  const seconds = (performance.now() - t0) / 1000;
  const cpu = ownCpu(side.app.pid) - cpu0;
  clearInterval(poll);
  if (statuses.some((s) => s !== 302)) throw new Error(`${side.name}: uploads answered ${[...new Set(statuses)]}`);
  // The stored files go (each phase writes into the same page cache), and are written back now.
  const rows = await side.db.query(
    `select a.original_key from documentos d join archivos a on a.id = d.archivo_id join postulaciones p on p.id = d.postulacion_id where p.convocatoria_id = $1`,
    [side.convocatoriaId],
  );
  for (const row of rows.rows) rmSync(path.join(side.dataDir, "files", row.original_key), { force: true });
  execFileSync("sync");
  return {
    seconds: Number(seconds.toFixed(2)),
    serverCpuSeconds: Number(cpu.toFixed(2)),
    rssBeforeMiB: Math.round(before / 1024),
    peakRssMiB: Math.round(peak / 1024),
  };
}

const sides = [
  { name: "fork", upstream: false },
  { name: "upstream", upstream: true },
];
const work = mkdtempSync(path.join(tmpdir(), "cas-bench-rh-"));
try {
  for (const [i, side] of sides.entries()) {
    side.dir = path.join(work, side.name);
    console.error(`building ${side.name} in ${side.dir}…`);
    build(side.dir, side.upstream);
    side.dataDir = path.join(work, `${side.name}-data`);
    const url = await freshDatabase(`cas_bench_rh_${side.name}`);
    side.app = await startApp({ DATABASE_URL: url, DATA_DIR: side.dataDir, SESSION_SECRET }, { cwd: side.dir, port: port + i });
    Object.assign(side, await seed(url, n * (rounds + 1)));
  }
  console.error(`making ${n} PDFs of ${mb} MB…`);
  const files = await Promise.all(Array.from({ length: n }, (_, i) => bigPdf(mb * 1024 * 1024 - 8 * 1024, `Documento ${i + 1}`)));

  const results = [];
  for (let round = 0; round <= rounds; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    const row = { round: round === 0 ? "warm-up" : round };
    for (const side of order) row[side.name] = { page: await measurePage(side) };
    for (const side of order) row[side.name].uploads = await measureUploads(side, files, round);
    console.log(JSON.stringify(row));
    if (round > 0) results.push(row);
  }
  /** The figures summarised: each side's median, and the median of the rounds' ratios. */
  const FIGURES = {
    reqPerSec: (s) => s.page.reqPerSec,
    p50: (s) => s.page.p50,
    p99: (s) => s.page.p99,
    cpuMsPerRequest: (s) => s.page.cpuMsPerRequest,
    uploadSeconds: (s) => s.uploads.seconds,
    uploadServerCpuSeconds: (s) => s.uploads.serverCpuSeconds,
    uploadPeakRssMiB: (s) => s.uploads.peakRssMiB,
  };
  const summarise = (of) => Object.fromEntries(Object.entries(FIGURES).map(([name, pick]) => [name, median(results.map((r) => of(r, pick)))]));
  const summary = {
    rounds,
    wrk: `-t1 -c32 -d${duration}s /privacidad`,
    uploads: `${n} × ${mb} MB`,
    fork: summarise((r, pick) => pick(r.fork)),
    upstream: summarise((r, pick) => pick(r.upstream)),
    "upstream / fork (median of rounds)": summarise((r, pick) => Number((pick(r.upstream) / pick(r.fork)).toFixed(3))),
  };
  console.log(JSON.stringify(summary, null, 2));
} finally {
  for (const side of sides) {
    await side.db?.end();
    await side.app?.stop();
  }
  rmSync(work, { recursive: true, force: true });
}
