// The public page cache of two builds side by side (issue 18): the Listado de Convocatorias
// of the list benchmark (5,000 convocatorias in PostgreSQL, database cas_bench_page_cache)
// served by TWO app processes at once, one per build (bench/build-rev.sh), on the same
// database, as deployed (PUBLIC_CACHE_SECONDS default 5). In rounds, alternating which build
// goes first, autocannon (32 connections, BENCH_DURATION seconds, default 5) loads each with:
//   hot:  /convocatorias?q=analista&estado=en_postulacion (one URL: the cache's hit path);
//   many: 300 different list URLs (page and search words) in turn (misses, coalesced renders,
//         evictions past 500 entries are not reached; renders every max-age per URL).
// The per-round ratios (req/s, p99 and the server's CPU per request of the second build
// against the first) and their medians are printed, with each process's peak RSS.
//
//   bash bench/build-rev.sh <old> /tmp/cas-pc-a && bash bench/build-rev.sh <new> /tmp/cas-pc-b
//   node bench/page-cache.mjs --dirs /tmp/cas-pc-a,/tmp/cas-pc-b [--rounds 5]
import autocannon from "autocannon";
import { freshDatabase, median, peakRssMiB, procCpu, startApp } from "./lib.mjs";
import { seedConvocatorias } from "./convocatorias-seed.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};
const dirs = String(arg("dirs", "")).split(",").filter(Boolean);
if (dirs.length !== 2) throw new Error("--dirs A,B: two built trees");
const rounds = Number(arg("rounds", 5));
const DURATION = Number(process.env.BENCH_DURATION ?? 5);
const HOT = "/convocatorias?q=analista&estado=en_postulacion";
const WORDS = ["analista", "asistente", "especialista", "tecnico", "auxiliar", "coordinador", "abogado", "ingeniero", "contador", "secretaria"];
const MANY = Array.from({ length: 300 }, (_, i) => `/convocatorias?q=${WORDS[i % WORDS.length]}&page=${1 + Math.floor(i / WORDS.length)}`);

const url = await freshDatabase("cas_bench_page_cache");
console.log(`seeded ${await seedConvocatorias(url, 5000)} convocatorias`);

const run = (base, requests) =>
  new Promise((resolve, reject) => {
    autocannon(
      { url: base, connections: 32, duration: DURATION, requests: requests.map((path) => ({ method: "GET", path })) },
      (err, res) => (err ? reject(err) : resolve(res)),
    );
  });

const apps = [];
try {
  for (const [i, dir] of dirs.entries()) {
    apps.push(
      await startApp(
        { DATABASE_URL: url, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-01", DATABASE_POOL_SIZE: "10" },
        { cwd: dir, port: Number(arg("port", 4760)) + i },
      ),
    );
  }
  for (const app of apps) {
    await run(app.base, [HOT]);
    await run(app.base, MANY);
  }
  const rows = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    const row = {};
    for (const [name, requests] of [["hot", [HOT]], ["many", MANY]]) {
      for (const i of order) {
        const cpu0 = procCpu(apps[i].pid);
        const r = await run(apps[i].base, requests);
        const cpu1 = procCpu(apps[i].pid);
        if (r.non2xx || r.errors) throw new Error(`${dirs[i]} ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        // The server's CPU per request: steadier than req/s on a shared machine.
        const cpuMs = ((cpu1.user + cpu1.system - cpu0.user - cpu0.system) * 1000) / r.requests.total;
        row[`${name} ${i}`] = { rps: Math.round(r.requests.average), p99: r.latency.p99, cpuMsPerRequest: Number(cpuMs.toFixed(3)) };
      }
      row[`${name} ratio`] = {
        rps: Number((row[`${name} 1`].rps / row[`${name} 0`].rps).toFixed(3)),
        p99: Number((row[`${name} 1`].p99 / row[`${name} 0`].p99).toFixed(3)),
        cpu: Number((row[`${name} 1`].cpuMsPerRequest / row[`${name} 0`].cpuMsPerRequest).toFixed(3)),
      };
    }
    console.log(`round ${round + 1}: ${JSON.stringify(row)}`);
    rows.push(row);
  }
  const summary = { dirs, durationSeconds: DURATION, rounds };
  for (const name of ["hot", "many"]) {
    summary[name] = {
      rps: [0, 1].map((i) => median(rows.map((r) => r[`${name} ${i}`].rps))),
      p99: [0, 1].map((i) => median(rows.map((r) => r[`${name} ${i}`].p99))),
      rpsRatioMedian: median(rows.map((r) => r[`${name} ratio`].rps)),
      p99RatioMedian: median(rows.map((r) => r[`${name} ratio`].p99)),
      cpuMsPerRequest: [0, 1].map((i) => median(rows.map((r) => r[`${name} ${i}`].cpuMsPerRequest))),
      cpuRatioMedian: median(rows.map((r) => r[`${name} ratio`].cpu)),
    };
  }
  summary.peakRssMiB = apps.map((app) => peakRssMiB(app.pid));
  console.log(JSON.stringify(summary, null, 2));
} finally {
  for (const app of apps) await app.stop();
}
