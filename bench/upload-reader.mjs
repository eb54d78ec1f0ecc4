// The upload reader alone, two (or more) versions of it side by side (issue 18): each git
// revision's upload reader (app/web/upload.server.ts; app/platform/ before the web/ edge) is bundled with esbuild and served by its own
// small node:http server process (bench/upload-reader-server.mjs: readUpload on the Node
// request, the temp file deleted once its hash is checked). Then, in rounds, n concurrent
// uploads of `mb` MB are sent to each version in turn (the order alternates every round);
// each round gives each version's time and server CPU relative to the first version's in
// the same round, and the medians of those ratios are the result (the machine may be shared:
// what the other processes take, they take from both within the round). Peak RSS (VmHWM) of
// each server process over the run.
//
//   node bench/upload-reader.mjs --revs a809af3,HEAD [--n 50] [--mb 10] [--rounds 5] [--warmup 1]
//
// A revision may be WORKTREE (the files as they are now). Nothing is built into build/.
import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { median, peakRssMiB, procCpu } from "./lib.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};
const revs = String(arg("revs", "HEAD~1,WORKTREE")).split(",");
const n = Number(arg("n", 50));
const mb = Number(arg("mb", 10));
const rounds = Number(arg("warmup", 1)) + Number(arg("rounds", 5));
const warmup = Number(arg("warmup", 1));
const basePort = Number(arg("port", 4710));

/** The revision's upload reader bundled (its npm packages stay imports of this tree's node_modules). */
async function bundle(rev, dir) {
  const src = path.join(dir, "src");
  mkdirSync(src, { recursive: true });
  if (rev === "WORKTREE") {
    execFileSync("cp", ["-r", path.join(root, "app"), src]);
  } else {
    const tar = execFileSync("git", ["-C", root, "archive", rev, "app"], { maxBuffer: 1 << 30 });
    execFileSync("tar", ["-x", "-C", src], { input: tar });
  }
  const outfile = path.join(dir, "upload.mjs");
  await build({
    entryPoints: [["app/web/upload.server.ts", "app/platform/upload.server.ts"].map((f) => path.join(src, f)).find((f) => existsSync(f))],
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    alias: { "~": path.join(src, "app") },
    outfile,
    logLevel: "error",
  });
  // The hashing worker is found beside the module (script-path.server.ts).
  copyFileSync(path.join(src, "app/platform/hash-worker.mjs"), path.join(dir, "hash-worker.mjs"));
  return outfile;
}

function startServer(modulePath, port, tmp) {
  const child = spawn(process.execPath, [path.join(root, "bench/upload-reader-server.mjs"), modulePath, String(port), tmp], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout.once("data", () => resolve(child));
    child.once("exit", (code) => reject(new Error(`reader server exited with ${code}`)));
  });
}

function post(port, bytes) {
  const boundary = `----casBench${randomBytes(12).toString("hex")}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n${"t".repeat(64)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="tipo"\r\n\r\nFORMACION_ACADEMICA\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="archivo"; filename="sustentos.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port,
      method: "POST",
      path: "/",
      agent: false,
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, "content-length": head.length + bytes.length + tail.length },
    });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.write(head);
    req.write(bytes);
    req.end(tail);
  });
}

// Inside the tree (.cache: ignored by git and tsc), so that the bundles' imports find its node_modules.
mkdirSync(path.join(root, ".cache"), { recursive: true });
const work = mkdtempSync(path.join(root, ".cache", "bench-upload-reader-"));
const tmp = mkdtempSync(path.join(tmpdir(), "cas-bench-reader-"));
const servers = [];
try {
  const variants = [];
  for (const [i, rev] of revs.entries()) {
    const sha = rev === "WORKTREE" ? "worktree" : execFileSync("git", ["-C", root, "rev-parse", "--short", rev], { encoding: "utf8" }).trim();
    const modulePath = await bundle(rev, path.join(work, `${i}-${sha}`));
    const child = await startServer(modulePath, basePort + i, tmp);
    servers.push(child);
    variants.push({ rev, sha, port: basePort + i, pid: child.pid });
  }
  console.log(`variants: ${variants.map((v) => `${v.rev} (${v.sha})`).join(", ")}; making ${n} files of ${mb} MB…`);
  const files = Array.from({ length: n }, () => randomBytes(mb * 1024 * 1024 - 8 * 1024));
  const hashes = files.map((f) => createHash("sha256").update(f).digest("hex"));

  const results = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    const row = {};
    for (const v of order) {
      execFileSync("sync");
      const cpu0 = procCpu(v.pid);
      const t0 = performance.now();
      const answers = await Promise.all(files.map((f) => post(v.port, f)));
      const seconds = (performance.now() - t0) / 1000;
      const cpu = procCpu(v.pid).user + procCpu(v.pid).system - cpu0.user - cpu0.system;
      const intact = answers.filter((a, i) => a.status === 200 && a.body === hashes[i]).length;
      if (intact !== n) throw new Error(`${v.rev}: ${n - intact} uploads not intact (${[...new Set(answers.map((a) => a.status))]})`);
      row[v.rev] = { seconds: Number(seconds.toFixed(3)), cpuSeconds: Number(cpu.toFixed(2)) };
    }
    const first = row[variants[0].rev];
    for (const v of variants.slice(1)) {
      row[v.rev].timeRatio = Number((row[v.rev].seconds / first.seconds).toFixed(3));
      row[v.rev].cpuRatio = Number((row[v.rev].cpuSeconds / first.cpuSeconds).toFixed(3));
    }
    console.log(`round ${round + 1}${round < warmup ? " (warm-up)" : ""}: ${JSON.stringify(row)}`);
    results.push(row);
  }
  const counted = results.slice(warmup);
  const summary = {
    uploads: n,
    sizeMB: mb,
    rounds: counted.length,
    variants: variants.map((v, i) => ({
      rev: v.rev,
      commit: v.sha,
      medianSeconds: median(counted.map((r) => r[v.rev].seconds)),
      medianCpuSeconds: median(counted.map((r) => r[v.rev].cpuSeconds)),
      ...(i > 0
        ? { timeRatioMedian: median(counted.map((r) => r[v.rev].timeRatio)), cpuRatioMedian: median(counted.map((r) => r[v.rev].cpuRatio)) }
        : {}),
      peakRssMiB: peakRssMiB(v.pid),
    })),
  };
  console.log(JSON.stringify(summary, null, 2));
} finally {
  for (const child of servers) child.kill("SIGTERM");
  rmSync(tmp, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
}
