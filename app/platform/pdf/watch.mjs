/**
 * The watch itself (see child.server.ts, which documents it): spawns `command`, polls its
 * VmRSS and CPU time in /proc every `pollMs`, SIGKILLs it above `maxRssBytes`, past
 * `timeoutMs` of CPU time, past `wallTimeoutMs` of wall-clock time, or (with
 * `stdoutLimitBytes`) past that much output. Plain JavaScript: run by the server
 * (child.server.ts) and by the runner process (runner.mjs).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";

/** A small fixed PATH and nothing else: the child never sees the app's secrets. */
export const CHILD_ENV = { PATH: "/usr/local/bin:/usr/bin:/bin" };

export async function readRssBytes(pid) {
  try {
    const status = await readFile(`/proc/${pid}/status`, "latin1");
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Linux's USER_HZ: /proc reports CPU times in these ticks (100 on every Linux ABI Node runs on). */
const TICKS_PER_SECOND = 100;

/** User + system CPU time of a process in ms, from /proc/<pid>/stat (undefined when unreadable). */
export async function readCpuMs(pid) {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "latin1");
    // After the command name, which is in parentheses and may hold spaces: fields 3…; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1000) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** The wall-clock backstop when none is given: a loaded machine may give a child an eighth of a core. */
export const WALL_FACTOR = 8;

/** The wall-clock time after which a child is killed whatever its CPU time (ms). */
export const wallTimeoutMs = (options) => options.wallTimeoutMs ?? options.timeoutMs * WALL_FACTOR;

export function watchChild(command, args, options, onSpawn) {
  const started = performance.now();
  const maxStdout = options.maxStdout ?? 64 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], env: CHILD_ENV });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    let stdout = "";
    let stderr = "";
    let killedFor;
    let peakRssBytes = 0;
    let cpuMs = 0;
    let stdoutBytes = 0;
    const decoder = new StringDecoder("utf8");
    const kill = (reason) => {
      if (killedFor || child.exitCode !== null) return;
      killedFor = reason;
      child.kill("SIGKILL");
    };
    child.stdout.on("data", (chunk) => {
      stdoutBytes += chunk.length;
      if (options.stdoutLimitBytes !== undefined) {
        if (stdoutBytes > options.stdoutLimitBytes) kill("output");
      } else if (stdout.length < maxStdout) {
        stdout += decoder.write(chunk).slice(0, maxStdout - stdout.length);
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk) => {
      if (stderr.length < 8192) stderr += chunk.slice(0, 8192 - stderr.length);
    });
    let polling = false;
    const poll = setInterval(() => {
      if (polling || child.pid === undefined) return;
      polling = true;
      void Promise.all([readRssBytes(child.pid), readCpuMs(child.pid)]).then(([rss, cpu]) => {
        polling = false;
        if (cpu !== undefined) {
          cpuMs = Math.max(cpuMs, cpu);
          if (cpu > options.timeoutMs) kill("time");
        }
        if (rss === undefined) return;
        peakRssBytes = Math.max(peakRssBytes, rss);
        if (rss > options.maxRssBytes) kill("memory");
      });
    }, options.pollMs ?? 25);
    // CPU time is what a hostile file costs; wall time only backs it up (a stalled child, no /proc).
    const timer = setTimeout(() => kill("time"), wallTimeoutMs(options));
    child.on("error", (error) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (exitCode, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      if (options.stdoutLimitBytes === undefined && stdout.length < maxStdout) stdout += decoder.end().slice(0, maxStdout - stdout.length);
      resolve({ exitCode, signal, stdout, stderr, killedFor, peakRssBytes, cpuMs, stdoutBytes, ms: performance.now() - started });
    });
  });
}
