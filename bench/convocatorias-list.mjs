// The public Listado de Convocatorias under load (issue 3's benchmark).
// 5,000 convocatorias in PostgreSQL (database cas_bench), ONE app process from a production
// build. Same tool (autocannon), same run, 32 connections:
//   trivial:     /privacidad (a server-rendered page with no query of its own)
//   list:        /convocatorias?q=analista&estado=en_postulacion (a search word and a filter)
//   conditional: the same list URL with If-None-Match (and the cookie its ETag depends on) → 304
// Targets: list throughput ≥ 50 % of trivial; list p99 ≤ 100 ms (as deployed, i.e. with the
// public page cache; the run with it off is printed beside it).
// Usage: node bench/convocatorias-list.mjs   (run from the built app's directory; see bench/README.md)
import autocannon from "autocannon";
import pg from "pg";
import { freshDatabase, startApp } from "./lib.mjs";
import { LIST_PATH as LIST, seedConvocatorias } from "./convocatorias-seed.mjs";

const DURATION = Number(process.env.BENCH_DURATION ?? 15);
const CONNECTIONS = 32;

const url = await freshDatabase("cas_bench");
console.log(`seeded ${await seedConvocatorias(url, 5000)} convocatorias into cas_bench`);

const LIST_MATCHES = /(\d+) convocatorias/;
function run(base, path, headers = {}) {
  return new Promise((resolve, reject) => {
    autocannon({ url: base + path, connections: CONNECTIONS, duration: DURATION, headers }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}
const summary = (name, r) => ({
  name,
  "req/s": Math.round(r.requests.average),
  "p50 ms": r.latency.p50,
  "p99 ms": r.latency.p99,
  non2xx: r.non2xx,
  errors: r.errors,
});

// 1. As deployed (PUBLIC_CACHE_SECONDS default 5: anonymous public pages kept for max-age).
// 2. The same with the public page cache off: every request renders (what the cache saves).
const results = {};
for (const [label, env] of [["default", {}], ["cache off", { PUBLIC_CACHE_SECONDS: "0" }]]) {
  const app = await startApp(
    { DATABASE_URL: url, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-01", DATABASE_POOL_SIZE: "10", ...env },
    { port: 3291 },
  );
  // Warm up (JIT, pool, plan cache), then measure.
  await run(app.base, "/privacidad");
  await run(app.base, LIST);
  const trivial = await run(app.base, "/privacidad");
  const list = await run(app.base, LIST);
  const cookie = "csrf=benchbenchbenchbenchbench";
  const first = await fetch(app.base + LIST, { headers: { cookie } });
  const etag = first.headers.get("etag");
  const matches = (await first.text()).match(LIST_MATCHES)?.[1];
  const conditional = await run(app.base, LIST, { cookie, "if-none-match": etag });
  const check304 = await fetch(app.base + LIST, { headers: { cookie, "if-none-match": etag } });
  await app.stop();
  console.log(`== ${label}${env.PUBLIC_CACHE_SECONDS ? ` (PUBLIC_CACHE_SECONDS=${env.PUBLIC_CACHE_SECONDS})` : ""}`);
  console.table([summary("trivial /privacidad", trivial), summary("list (search + filter)", list), summary("list, If-None-Match → 304", conditional)]);
  const ratio = list.requests.average / trivial.requests.average;
  console.log(`list matches: ${matches} convocatorias; conditional answer: ${check304.status}; cache-control: ${first.headers.get("cache-control")}`);
  console.log(`list / trivial throughput: ${(ratio * 100).toFixed(0)} % (target ≥ 50 %); list p99 ${list.latency.p99} ms (target ≤ 100 ms)`);
  results[label] = { ratio, p99: list.latency.p99, status304: check304.status };
}

// The plan the list relies on (same SQL shape as the app's query).
const client = new pg.Client({ connectionString: url });
await client.connect();
const plan = await client.query(`explain (analyze, buffers, costs off)
  select id, codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, ubigeo, estado, postulacion_inicio,
    postulacion_fin, bases_key is not null, published_at, updated_at, count(*) over ()
  from convocatorias
  where estado <> 'borrador' and busqueda like '%analista%' and estado = 'publicada'
    and postulacion_inicio <= now() and postulacion_fin > now()
  order by published_at desc, codigo asc limit 20 offset 0`);
console.log(plan.rows.map((r) => r["QUERY PLAN"]).join("\n"));
await client.end();
const deployed = results.default;
process.exit(deployed.ratio >= 0.5 && deployed.p99 <= 100 && deployed.status304 === 304 ? 0 : 1);
