// Start time: from the start command to /readyz answering 200 on an existing DATA_DIR (PGlite).
// Needs `npm run build` first. See bench/README.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { median } from "./lib.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-start-"));
const port = 3302;

/** The start command itself, `npm start` (node server.js --production); or `node server.js`. */
const COMMANDS = { npmStart: ["npm", ["start", "--silent"]], nodeServer: [process.execPath, ["server.js"]] };

async function once(which = "npmStart") {
  const [cmd, args] = COMMANDS[which];
  const t0 = performance.now();
  const child = spawn(cmd, args, {
    env: { ...process.env, NODE_ENV: "production", TOTP_ENCRYPTION_KEY: "be4c".repeat(16), DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
    stdio: "ignore",
    detached: true,
  });
  for (;;) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - t0;
  await new Promise((resolve) => {
    child.once("exit", resolve);
    process.kill(-child.pid, "SIGTERM");
  });
  await new Promise((r) => setTimeout(r, 200));
  return ms;
}

await once(); // creates and migrates the DATA_DIR: the runs below start on an existing one
// Alternated, so both see the same moments of a shared machine: the target is on `npm start`;
// `node server.js` shows what npm and cross-env add.
const times = [];
const direct = [];
for (let i = 0; i < RUNS; i++) {
  times.push(await once("npmStart"));
  direct.push(await once("nodeServer"));
}
rmSync(dataDir, { recursive: true, force: true });
const result = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: availableParallelism(),
  loadAverage: loadavg().map((x) => Number(x.toFixed(2))),
  runsMs: times.map(Math.round),
  medianMs: Math.round(median(times)),
  nodeServerRunsMs: direct.map(Math.round),
  nodeServerMedianMs: Math.round(median(direct)),
  targetMs: 3000,
};
console.log(JSON.stringify(result, null, 2));
console.log(result.medianMs <= 3000 && Math.max(...times) <= 3000 ? "start: target met" : "start: TARGET MISSED");
