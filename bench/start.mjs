// Start time: from the start command to /readyz answering 200 on an existing DATA_DIR (PGlite).
// Needs `npm run build` first. See bench/README.md.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { median } from "./lib.mjs";

const RUNS = Number(process.env.RUNS ?? 5);
const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-start-"));
const port = 3302;

async function once() {
  const t0 = performance.now();
  // The start command itself: `npm start` (cross-env NODE_ENV=production node server.js).
  const child = spawn("npm", ["start", "--silent"], {
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: "warn" },
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
const times = [];
for (let i = 0; i < RUNS; i++) times.push(await once());
rmSync(dataDir, { recursive: true, force: true });
const result = { date: new Date().toISOString(), runsMs: times.map(Math.round), medianMs: Math.round(median(times)), targetMs: 3000 };
console.log(JSON.stringify(result, null, 2));
console.log(result.medianMs <= 3000 && Math.max(...times) <= 3000 ? "start: target met" : "start: TARGET MISSED");
