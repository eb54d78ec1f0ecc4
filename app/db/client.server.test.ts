import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { DataDirLockedError, lockDataDir } from "./client.server";

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});
async function dataDir() {
  const dir = await mkdtemp(path.join(tmpdir(), "cas-lock-"));
  dirs.push(dir);
  return dir;
}

/**
 * A process that takes the lock as the server does, in a shell that then `exec`s `sleep`:
 * sleep never reaps children, so once the holder is killed it stays a zombie — what a
 * restart that comes right after a SIGKILL, before the parent has reaped it, meets.
 */
async function holder(dir: string) {
  const script = `import { lockDataDir } from ${JSON.stringify(path.resolve("app/db/client.server.ts"))};
lockDataDir(${JSON.stringify(dir)}); console.log("locked"); setInterval(() => {}, 1000);`;
  const file = path.join(dir, "holder.mts");
  await writeFile(file, script);
  const shell = spawn("sh", ["-c", `${process.execPath} --import tsx ${file} & echo $!; exec sleep 60`], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  shell.stdout.on("data", (d: Buffer) => (out += d));
  while (!out.includes("locked")) {
    if (shell.exitCode !== null) throw new Error("holder did not start");
    await new Promise((r) => setTimeout(r, 50));
  }
  return { pid: Number(out.split("\n")[0]), shell };
}

it("refuses a DATA_DIR whose lock holder runs, and takes it over at once after a kill -9", async () => {
  const dir = await dataDir();
  const h = await holder(dir);
  try {
    expect(Number((await readFile(path.join(dir, "cas-online.lock"), "utf8")).split(" ")[0])).toBe(h.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dir)).toThrow(/is in use by another CAS Online process/);
    process.kill(h.pid, "SIGKILL");
    // kill() returns before the kernel has torn the process down; a restart (a node start,
    // ~100 ms) comes after that. Wait only for the teardown — the holder is then a zombie its
    // parent never reaps (what the old check took for a live owner) — and take the lock at once.
    for (let i = 0; i < 400 && !(await readFile(`/proc/${h.pid}/stat`, "utf8")).split(") ")[1]?.startsWith("Z"); i++) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const unlock = lockDataDir(dir);
    expect((await readFile(path.join(dir, "cas-online.lock"), "utf8")).split(" ")[0]).toBe(String(process.pid));
    unlock();
  } finally {
    h.shell.kill("SIGKILL");
  }
}, 60_000);

it("takes over a lock whose pid now belongs to another process (pid reuse after a restart)", async () => {
  const dir = await dataDir();
  // The pid of a live process (our parent), but a start time that is not its own.
  await writeFile(path.join(dir, "cas-online.lock"), `${process.ppid} 1`);
  const unlock = lockDataDir(dir);
  unlock();
  // A lock in the old format (pid only) of a live process still counts.
  await writeFile(path.join(dir, "cas-online.lock"), String(process.ppid));
  expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
});
