// How the app's memory behaves under load: the trivial page at 32 connections for 10 s
// uncompressed, then 10 s as a browser asks, with the process's RSS, V8's heap (total and
// "in use", garbage not yet collected included) and external memory read from /metrics after
// each, and the peak RSS (VmHWM). Node flags for the app go in BENCH_NODE_ARGS, e.g. a heap
// cap (docs/deploy.md, "Memory"):
//   bash bench/in-copy.sh /tmp/cas-heap node bench/heap.mjs
//   BENCH_NODE_ARGS=--max-old-space-size=192 bash bench/in-copy.sh /tmp/cas-heap node bench/heap.mjs
// Needs wrk (Debian) and PostgreSQL at BENCH_PG_URL.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freshDatabase, peakRssMiB, startApp } from "./lib.mjs";
import { SESSION_SECRET } from "./uploads.mjs";

const dataDir = mkdtempSync(path.join(tmpdir(), "cas-heap-"));
const app = await startApp({ DATABASE_URL: await freshDatabase("cas_heap"), SESSION_SECRET, DATA_DIR: dataDir }, { port: 3298 });

/** The process's memory now, in MiB, from its Prometheus metrics. */
async function memory(label) {
  const metrics = await (await fetch(`${app.base}/metrics`)).text();
  const mib = (name) => Math.round(Number(metrics.match(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)`, "m"))?.[1] ?? 0) / 1048576);
  console.log(
    `${label.padEnd(22)} RSS ${mib("process_resident_memory_bytes")} MiB, heap ${mib("nodejs_heap_size_total_bytes")} MiB` +
      ` (in use ${mib("nodejs_heap_size_used_bytes")}), external ${mib("nodejs_external_memory_bytes")}, peak RSS ${peakRssMiB(app.pid)} MiB`,
  );
}

try {
  await memory("started");
  for (const encoding of ["identity", "br, gzip"]) {
    const out = execFileSync("wrk", ["-t1", "-c32", "-d10s", "-H", `Accept-Encoding: ${encoding}`, `${app.base}/privacidad`]).toString();
    console.log(`trivial page, ${encoding}: ${out.match(/Requests\/sec:\s+(\S+)/)?.[1]} req/s`);
    await memory(`after ${encoding}`);
  }
} finally {
  await app.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
