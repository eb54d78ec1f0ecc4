// Shared helpers for the benchmarks: start the built app, watch its memory, create a database.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import pg from "pg";

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export async function freshDatabase(name) {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Starts `node server.js` (the built app) and resolves when /readyz answers 200. */
export async function startApp(env, { cwd = process.cwd(), port = 3300 } = {}) {
  // BENCH_NODE_ARGS: extra node flags for the app (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, "server.js"], {
    cwd,
    env: { ...process.env, NODE_ENV: "production", TOTP_ENCRYPTION_KEY: "be4c".repeat(16), LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn", PORT: String(port), ...env },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
    try {
      const r = await fetch(`${base}/readyz`);
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > 60_000) throw new Error("app did not become ready");
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    base,
    pid: child.pid,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/**
 * CPU seconds of a process from /proc/<pid>/stat: its own user and system time, and that of
 * the children it has waited for. Linux reports them in ticks of 1/100 s.
 */
export function procCpu(pid) {
  const { user, system, children } = readStat(pid);
  return { user, system, children, total: user + system + children };
}

function readStat(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const [user, system, childrenUser, childrenSystem] = f.slice(11, 15).map((ticks) => Number(ticks) / 100);
  const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
  return { comm, ppid: Number(f[1]), start: f[19], user, system, children: childrenUser + childrenSystem };
}

/**
 * Every process on the machine: name, parent, command line and CPU seconds (`own`: its user +
 * system time; `children`: that of the children it has waited for), keyed by pid.
 */
export function cpuSnapshot() {
  const snapshot = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const { comm, ppid, start, user, system, children } = readStat(name);
      const cmd = readFileSync(`/proc/${name}/cmdline`, "latin1").replaceAll("\0", " ").trim();
      snapshot.set(Number(name), { comm, ppid, start, cmd, own: user + system, children });
    } catch {
      // exited meanwhile
    }
  }
  return snapshot;
}

/**
 * The CPU each process used between two snapshots, keyed by pid (processes alive at the end):
 * its own time, plus that of children it waited for meanwhile (a finished wrk, a reaped backend).
 * A process that started and ended between the snapshots is counted only through its parent.
 */
export function cpuBetween(before, after) {
  const used = new Map();
  for (const [pid, p] of after) {
    const b = before.get(pid)?.start === p.start ? before.get(pid) : undefined;
    used.set(pid, { ...p, own: p.own - (b?.own ?? 0), children: p.children - (b?.children ?? 0) });
  }
  return used;
}

/** Peak resident set size (VmHWM) of a process, in MiB. */
export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(status.match(/VmHWM:\s+(\d+)/)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** `--name value` of the command line, or `dflt`. */
export const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : process.argv[i + 1];
};

/**
 * Posts a multipart form as a browser does, with node:http: the text fields (in order), then
 * one file whose bytes are written as they are (no copy), then the closing boundary. Resolves
 * with the status once the answer is read. undici's FormData costs the client ~2.7 × the CPU
 * (bench/README.md), on the 2 cores the server also uses.
 */
export function postMultipart(url, { cookie, origin }, fields, file) {
  const boundary = `----casBench${randomBytes(12).toString("hex")}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
      .join("") +
      `--${boundary}\r\nContent-Disposition: form-data; name="${file.field}"; filename="${file.name}"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": `multipart/form-data; boundary=${boundary}`,
        "content-length": head.length + file.bytes.length + tail.length,
        cookie,
        origin,
        "sec-fetch-site": "same-origin",
      },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    req.on("error", reject);
    req.write(head);
    req.write(file.bytes);
    req.end(tail);
  });
}
