// Several app processes through nginx (issue 16, item 6). For N = 1 and N = 2 app processes
// behind nginx (scripts/cluster.sh up: PostgreSQL, s3rver, CLUSTER_FRESH=1), in the same run:
//   list: wrk -t1 -c32 on the list page (5,000 convocatorias, bench/convocatorias-seed.mjs) through
//         nginx, with the public page cache on (as deployed) and off (PUBLIC_CACHE_SECONDS=0: the
//         apps restarted with it); with N = 1 also straight to the app, for nginx's own cost;
//   rush: bench/deadline-rush.mjs's phases through nginx (300 applicants' 900 uploads of 1 MB,
//         20 at a time, then the 300 finalizations within 60 s), nothing lost, one e-mail each.
// Each measurement: req/s, p50, p99, errors, each app process's peak RSS (VmHWM) and the CPU
// seconds used meanwhile by the apps (and their PDF children), nginx, the load generator (wrk, or
// this process for the rush), PostgreSQL, s3rver and everything else on the machine (/proc).
//
//   bash bench/in-copy.sh /tmp/cas-bench16 node bench/cluster.mjs [--apps 1,2] [--duration 10] [--warmup 10] [--n 300] [--window 60]
//
// Environment: BENCH_CLUSTER_PORT (nginx, 8190), BENCH_CLUSTER_APP_PORT (3191: apps on 3191, 3192),
// BENCH_CLUSTER_S3_PORT (4591), BENCH_CLUSTER_DB (cas_bench16 on BENCH_PG_URL's server, dropped
// at the end), BENCH_CLUSTER_DIR (/tmp/cas-bench16-cluster, removed at the end).
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { availableParallelism } from "node:os";
import { HeadObjectCommand, S3Client } from "@aws-sdk/client-s3";
import pg from "pg";
import { LIST_PATH, seedConvocatorias } from "./convocatorias-seed.mjs";
import { countWhole, finalizeAll, percentile, startSmtp, uploadAll } from "./deadline-rush.mjs";
import { cpuBetween, cpuSnapshot, peakRssMiB, PG_ADMIN_URL } from "./lib.mjs";
import { seed } from "./uploads.mjs";

const option = (name, dflt) => (process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : dflt);
const APPS = option("apps", "1,2").split(",").map(Number);
const DURATION = Number(option("duration", 10));
const WARMUP = Number(option("warmup", 10));
const N = Number(option("n", 300)); // the figures of bench/README.md "Several app servers" were taken with 300
const WINDOW = Number(option("window", 60));

const PORT = Number(process.env.BENCH_CLUSTER_PORT ?? 8190);
const APP_PORT = Number(process.env.BENCH_CLUSTER_APP_PORT ?? 3191);
const S3_PORT = Number(process.env.BENCH_CLUSTER_S3_PORT ?? 4591);
const DB = process.env.BENCH_CLUSTER_DB ?? "cas_bench16";
const DIR = process.env.BENCH_CLUSTER_DIR ?? "/tmp/cas-bench16-cluster";
const NGINX = `http://127.0.0.1:${PORT}`;
const dbUrl = new URL(PG_ADMIN_URL);
dbUrl.pathname = `/${DB}`;

const smtp = await startSmtp();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clusterEnv = (apps, extra = {}) => ({
  ...process.env,
  CLUSTER_DIR: DIR,
  CLUSTER_PORT: String(PORT),
  CLUSTER_APP_PORT: String(APP_PORT),
  CLUSTER_S3_PORT: String(S3_PORT),
  CLUSTER_DATABASE_URL: dbUrl.toString(),
  CLUSTER_APPS: String(apps),
  DEMO_DATA: "0",
  SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
  ...extra,
});
const clusterSh = (args, env) => spawn("bash", ["scripts/cluster.sh", ...args], { env, stdio: ["ignore", "inherit", "inherit"] });
const exited = (child) => new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", resolve)));

/** `cluster.sh up` (fresh database and bucket); resolves when nginx answers /readyz, with `down()`. */
async function up(apps) {
  const child = clusterSh(["up"], clusterEnv(apps, { CLUSTER_FRESH: "1" }));
  for (const started = Date.now(); ; await sleep(200)) {
    if (child.exitCode !== null) throw new Error(`cluster.sh up exited with ${child.exitCode}`);
    if (Date.now() - started > 600_000) throw new Error("the cluster did not become ready");
    if ((await fetch(`${NGINX}/readyz`).catch(() => undefined))?.status === 200) break;
  }
  return { down: () => (child.kill("SIGTERM"), exited(child)) };
}

/** Stops each app process and starts it again with `extra` in its environment (cluster.sh restart). */
async function restartApps(apps, extra) {
  for (let n = 1; n <= apps; n++) {
    const code = await exited(clusterSh(["restart", String(n)], clusterEnv(apps, extra)));
    if (code !== 0) throw new Error(`cluster.sh restart ${n} exited with ${code}`);
  }
}

const pidFile = (name) => Number(readFileSync(`${DIR}/run/${name}.pid`, "utf8"));
const appPids = (apps) => Array.from({ length: apps }, (_, i) => pidFile(`app${i + 1}`));
const load1 = () => readFileSync("/proc/loadavg", "utf8").split(" ")[0];
/** The machine's busy and total CPU seconds from /proc/stat (all cores; USER_HZ = 100). */
function machine() {
  const f = readFileSync("/proc/stat", "latin1").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0) / 100;
  return { busy: total - (f[3] + f[4]) / 100, total };
}

/**
 * CPU seconds per part of the system, from the processes' use between two snapshots; `other`
 * is the rest of what the machine's cores were busy with (other people's work, the kernel's).
 */
function split(used, apps, busy) {
  const pids = appPids(apps);
  const s3rver = pidFile("s3rver");
  const cpu = { apps: pids.map(() => 0), nginx: 0, load: 0, postgres: 0, s3rver: 0 };
  for (const [pid, p] of used) {
    let app = -1;
    for (let q = pid; q > 1 && app < 0; q = used.get(q)?.ppid) app = pids.indexOf(q);
    // A backend's command line names its database: this benchmark's backends, the postmaster and
    // its helpers count (their own time only: the postmaster also reaps other databases' backends).
    const backend = p.cmd.match(/^postgres: [^:]+: \S+ (\S+) \S+\(\d+\)/);
    if (app >= 0) cpu.apps[app] += p.own + p.children; // with the PDF children it reaped
    else if (pid === process.pid) cpu.load += p.own + p.children; // the rush's clients, or the wrk it reaped
    else if (p.comm === "nginx") cpu.nginx += p.own;
    else if (p.comm === "postgres" && (!backend || backend[1] === DB)) cpu.postgres += p.own;
    else if (pid === s3rver) cpu.s3rver += p.own;
  }
  const ours = cpu.apps.reduce((a, b) => a + b, 0) + cpu.nginx + cpu.load + cpu.postgres + cpu.s3rver;
  return { ...cpu, other: Math.max(0, busy - ours) };
}

/** Runs fn, recording its time, the CPU split meanwhile, the machine's idle share and the load average. */
async function measured(apps, fn) {
  const before = cpuSnapshot();
  const m0 = machine();
  const load = load1();
  const t0 = performance.now();
  const value = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const used = cpuBetween(before, cpuSnapshot());
  const m1 = machine();
  const cpu = split(used, apps, m1.busy - m0.busy);
  const idle = 1 - (m1.busy - m0.busy) / (m1.total - m0.total);
  return { ...value, seconds, capacity: m1.total - m0.total, cpu, idle, load: `${load}→${load1()}`, rss: appPids(apps).map(peakRssMiB) };
}

const toMs = (value, unit) => Number(value) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[unit];
function wrk(url, seconds) {
  const child = spawn("wrk", ["-t1", "-c32", `-d${seconds}s`, "--latency", "--timeout", "10s", url], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  return exited(child).then((code) => {
    if (code !== 0) throw new Error(`wrk exited with ${code}:\n${out}`);
    const latency = (p) => {
      const m = out.match(new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, "m"));
      return toMs(m[1], m[2]);
    };
    const socket = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/)?.slice(1) ?? [];
    const errors = [...socket, out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? 0].reduce((a, b) => a + Number(b), 0);
    return { rate: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: latency(50), p99: latency(99), errors };
  });
}

async function list(apps, what, base) {
  const first = await fetch(base + LIST_PATH);
  const matches = (await first.text()).match(/(\d+) convocatorias/)?.[1];
  if (first.status !== 200 || !matches) throw new Error(`list: ${first.status}, ${matches} matches`);
  console.log(`${what}: ${matches} matches, cache-control ${first.headers.get("cache-control")}`);
  await wrk(base + LIST_PATH, WARMUP); // warm-up: JIT (a fresh process renders slower), pools, plan cache
  return { apps, what, ...(await measured(apps, () => wrk(base + LIST_PATH, DURATION))) };
}

const s3 = new S3Client({
  endpoint: `http://127.0.0.1:${S3_PORT}`,
  region: "us-east-1",
  forcePathStyle: true,
  credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
});
// The bucket scripts/cluster.sh makes in s3rver.
const stored = (key) => s3.send(new HeadObjectCommand({ Bucket: "cas-cluster", Key: key })).then(() => true, () => false);

async function rush(apps) {
  const { db, convocatoriaId, people } = await seed(dbUrl.toString(), N);
  smtp.received.length = 0;
  let clients, uploads, finals, whole;
  try {
    uploads = await measured(apps, async () => {
      const r = await uploadAll(NGINX, db, people, convocatoriaId);
      clients = r.clients;
      return { p50: percentile(r.uploadMs, 50), p99: percentile(r.uploadMs, 99), errors: 0 };
    });
    uploads.rate = (3 * N) / uploads.seconds;
    finals = await measured(apps, async () => {
      const r = await finalizeAll(clients, convocatoriaId, WINDOW);
      return { p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99), errors: r.errors.length, rate: N / r.seconds };
    });
    whole = await countWhole(db, convocatoriaId, smtp.received, N, stored);
  } finally {
    await db.end();
  }
  console.log(`rush, ${apps} app(s): ${whole}/${N} registradas with their 3 files in the bucket and one e-mail; ${smtp.received.length} e-mails`);
  return [
    { apps, what: `rush: ${3 * N} uploads of 1 MB, 20 at a time (uploads/s)`, ...uploads },
    { apps, what: `rush: ${N} finalizations within ${WINDOW} s`, note: `${whole}/${N} whole, ${smtp.received.length} e-mails`, ...finals },
  ];
}

const rows = [];
const failures = [];
const loadAtStart = readFileSync("/proc/loadavg", "utf8").trim();
try {
  for (const apps of APPS) {
    const cluster = await up(apps);
    try {
      console.log(`seeded ${await seedConvocatorias(dbUrl.toString(), 5000)} convocatorias into ${DB}`);
      for (const cache of ["on", "off"]) {
        if (cache === "off") await restartApps(apps, { PUBLIC_CACHE_SECONDS: "0" });
        rows.push(await list(apps, `list, cache ${cache}, through nginx`, NGINX));
        if (apps === 1) rows.push(await list(apps, `list, cache ${cache}, straight to the app`, `http://127.0.0.1:${APP_PORT}`));
      }
      // As deployed again (cache on), with deadline-rush.mjs's pool of 20.
      await restartApps(apps, { DATABASE_POOL_SIZE: "20" });
      // A failed upload (uploadAll stops at the first) is reported, and the run goes on.
      rows.push(...(await rush(apps).catch((error) => (failures.push(`rush with ${apps} app(s): ${error.message}`), []))));
    } finally {
      await cluster.down();
    }
  }
} finally {
  await exited(clusterSh(["down"], clusterEnv(1))); // in case `up` failed half-way
  smtp.close();
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${DB} with (force)`);
  await admin.end();
  rmSync(DIR, { recursive: true, force: true });
}

const cores = availableParallelism();
const f0 = (x) => x.toFixed(0);
const share = (r, s) => `${s.toFixed(1)} (${f0((100 * s) / r.capacity)} %)`;
console.log(`\nload average at start: ${loadAtStart}; at end: ${readFileSync("/proc/loadavg", "utf8").trim()}; ${cores} cores`);
console.log(`CPU seconds (share of the ${cores} cores' time during the measurement): apps (each), nginx, load generator, postgres, s3rver, other;`);
console.log("req/CPU s: requests per CPU second of the benchmark's own processes (apps, nginx, load generator, postgres, s3rver)\n");
console.log("| N | measurement | req/s | p50 ms | p99 ms | errors | peak RSS per app (MiB) | req/CPU s | apps | nginx | load generator | postgres | s3rver | other | idle | load 1 min |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  const appCpu = r.cpu.apps.reduce((a, b) => a + b, 0);
  r.perCpu = (r.rate * r.seconds) / (appCpu + r.cpu.nginx + r.cpu.load + r.cpu.postgres + r.cpu.s3rver);
  console.log(
    `| ${r.apps} | ${r.what}${r.note ? ` (${r.note})` : ""} | ${r.rate.toFixed(1)} | ${f0(r.p50)} | ${f0(r.p99)} | ${r.errors} | ${r.rss.join(" + ")} | ${r.perCpu.toFixed(1)} | ` +
      `${share(r, appCpu)}${r.apps > 1 ? ` = ${r.cpu.apps.map((s) => s.toFixed(1)).join(" + ")}` : ""} | ${share(r, r.cpu.nginx)} | ${share(r, r.cpu.load)} | ` +
      `${share(r, r.cpu.postgres)} | ${share(r, r.cpu.s3rver)} | ${share(r, r.cpu.other)} | ${f0(100 * r.idle)} % | ${r.load} |`,
  );
}
console.log("\nN = 2 / N = 1:");
for (const one of rows.filter((r) => r.apps === 1)) {
  const two = rows.find((r) => r.apps === 2 && r.what === one.what);
  const ratio = (key) => `${key} ${(two[key] / one[key]).toFixed(2)} ×`;
  if (two) console.log(`  ${one.what}: ${["rate", "p50", "p99", "perCpu"].map(ratio).join(", ")}`);
}
console.log(`\n${JSON.stringify(rows)}`);
for (const failure of failures) console.log(`FAILED: ${failure}`);
process.exitCode = failures.length ? 1 : 0;
