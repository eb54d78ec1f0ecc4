// 200 concurrent correct logins against PostgreSQL, and argon2 alone verifying the same hash
// on the same machine in the same run. Needs `npm run build` first. See bench/README.md.
import http from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import pg from "pg";
import { freshDatabase, median, peakRssMiB, procCpu, startApp } from "./lib.mjs";

const CONCURRENCY = Number(process.env.LOGINS ?? 200);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
// Unmeasured rounds first (both sides), as a server that has been up a while: the first
// logins of a fresh process run in V8's baseline tier, at up to twice the CPU per request.
const WARMUP = Number(process.env.WARMUP ?? 1);
const PASSWORD = "Bench-login-2026";
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 };

const url = await freshDatabase("cas_bench_logins");
const app = await startApp({ DATABASE_URL: url, SESSION_SECRET: "bench-secret-bench-secret-bench-secret-00", DATABASE_POOL_SIZE: "20" });

// Accounts: one per concurrent client, all with the same password hash (as the app stores it).
const passwordHash = await hash(PASSWORD, ARGON2);
const db = new pg.Client({ connectionString: url });
await db.connect();
const dnis = Array.from({ length: CONCURRENCY }, (_, i) => String(40000000 + i));
for (const dni of dnis) {
  await db.query(
    `insert into postulantes (nacionalidad, tipo_documento, numero_documento, nombres, apellido_paterno, apellido_materno,
      fecha_nacimiento, sexo, email, celular, direccion, ubigeo, password_hash, consent_version, consent_at)
     values ('PE','DNI',$1,'Ana','Bench','Test','1990-01-01','F',$2,'987654321','Av. Siempre Viva 123','150122',$3,'bench',now())`,
    [dni, `bench${dni}@example.pe`, passwordHash],
  );
}
await db.end();

// argon2 alone: the same hash, verified by as many parallel calls as libuv runs (4 threads).
async function argon2Alone(total) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next++ < total) if (!(await verify(passwordHash, PASSWORD))) throw new Error("verify failed");
    }),
  );
  return total / ((performance.now() - t0) / 1000);
}

async function prepareClient(dni) {
  const res = await fetch(`${app.base}/login`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const csrf = (await res.text()).match(/name="csrf" value="([^"]+)"/)?.[1];
  const body = new URLSearchParams({ csrf, tipoDocumento: "DNI", numeroDocumento: dni, password: PASSWORD }).toString();
  return { cookie, body };
}

// The load generator: node:http with keep-alive connections (as a browser keeps its own). It
// shares the 2 cores with the server; undici's fetch cost ~2.6–3 ms of CPU per login here
// (bench/README.md), node:http about a third of that.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function postLogin({ cookie, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${app.base}/login`, {
      method: "POST",
      agent,
      headers: { cookie, "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), origin: app.base },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => {
        const setsSession = (res.headers["set-cookie"] ?? []).some((c) => c.includes("cas_session=") && !c.includes("Max-Age=0"));
        resolve(res.statusCode === 302 && setsSession);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function loginRound(clients) {
  const t0 = performance.now();
  const ok = await Promise.all(clients.map(postLogin));
  return { seconds: (performance.now() - t0) / 1000, errors: ok.filter((x) => !x).length };
}

const clients = await Promise.all(dnis.map(prepareClient));
// Interleaved: argon2 alone, then a round of logins, ROUNDS times. The machine may be shared,
// so each round is compared with the argon2-alone figure measured just before it, and the
// median of those ratios is the result (one max over the run would favour a quiet moment).
let totalSeconds = 0;
let totalErrors = 0;
const rounds = [];
for (let round = 0; round < WARMUP; round++) {
  await argon2Alone(CONCURRENCY);
  totalErrors += (await loginRound(clients)).errors;
}
/** User + system CPU ms of the app's process (its main thread, argon2 on libuv's threads, everything). */
const appCpuMs = () => {
  const { user, system } = procCpu(app.pid);
  return (user + system) * 1000;
};
const cpuMs = (usage) => (usage.user + usage.system) / 1000;

for (let round = 0; round < ROUNDS; round++) {
  const aloneCpu0 = process.cpuUsage();
  const alone = await argon2Alone(CONCURRENCY);
  const aloneCpu = cpuMs(process.cpuUsage(aloneCpu0));
  const app0 = appCpuMs();
  const client0 = process.cpuUsage();
  const r = await loginRound(clients);
  const clientCpu = cpuMs(process.cpuUsage(client0));
  const appCpu = appCpuMs() - app0;
  totalSeconds += r.seconds;
  totalErrors += r.errors;
  const perSecond = CONCURRENCY / r.seconds;
  rounds.push({
    argon2AloneVerifiesPerSecond: Number(alone.toFixed(1)),
    loginsPerSecond: Number(perSecond.toFixed(1)),
    ratio: Number((perSecond / alone).toFixed(2)),
    // CPU per operation: one verify alone (this process); one login in the app (argon2 included) and in this client.
    cpuMsPerVerifyAlone: Number((aloneCpu / CONCURRENCY).toFixed(1)),
    appCpuMsPerLogin: Number((appCpu / CONCURRENCY).toFixed(1)),
    clientCpuMsPerLogin: Number((clientCpu / CONCURRENCY).toFixed(1)),
  });
}
const loginsPerSecond = (CONCURRENCY * ROUNDS) / totalSeconds;
const argon2PerSecond = median(rounds.map((r) => r.argon2AloneVerifiesPerSecond));
const ratio = median(rounds.map((r) => r.ratio));
const rss = peakRssMiB(app.pid);
await app.stop();

const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: availableParallelism(),
  concurrentLogins: CONCURRENCY,
  rounds: ROUNDS,
  warmupRounds: WARMUP,
  errors: totalErrors,
  loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  loginsPerSecond: Number(loginsPerSecond.toFixed(1)),
  argon2AloneVerifiesPerSecond: argon2PerSecond,
  ratio,
  perRound: rounds,
  peakServerRssMiB: rss,
  targets: { errors: 0, ratio: ">= 0.70", peakServerRssMiB: "<= 400" },
};
console.log(JSON.stringify(result, null, 2));
const ok = totalErrors === 0 && result.ratio >= 0.7 && rss <= 400;
console.log(ok ? "logins: targets met" : "logins: TARGET MISSED");
process.exitCode = ok ? 0 : 1;
