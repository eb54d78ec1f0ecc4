import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAntivirus } from "~/platform/antivirus.server";

/**
 * A real clamd (Debian's clamav-daemon, installed by scripts/ensure-system-packages.sh) on
 * loopback, on a free port. freshclam cannot reach the internet here, and clamd refuses to
 * start without signatures: it gets a temp database with one hash signature, EICAR's
 * (MD5 and size of the EICAR test string, in a .hdb file).
 *
 *   const clamd = await startClamd();  …  createAntivirus(clamd.url)  …  await clamd.stop();
 */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

export type TestClamd = { url: string; port: number; stop(): Promise<void> };

function clamdBinary(): string {
  for (const candidate of ["/usr/sbin/clamd", "/usr/bin/clamd"]) if (existsSync(candidate)) return candidate;
  throw new Error("clamd is not installed: run scripts/ensure-system-packages.sh (Debian package clamav-daemon)");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startClamd(): Promise<TestClamd> {
  const dir = mkdtempSync(path.join(tmpdir(), "cas-clamd-"));
  const db = path.join(dir, "db");
  mkdirSync(db);
  const md5 = createHash("md5").update(EICAR).digest("hex");
  writeFileSync(path.join(db, "cas-test.hdb"), `${md5}:${Buffer.byteLength(EICAR)}:Eicar-Test-Signature\n`);
  const port = await freePort();
  const log = path.join(dir, "clamd.log");
  const conf = path.join(dir, "clamd.conf");
  writeFileSync(
    conf,
    [
      `DatabaseDirectory ${db}`,
      `TemporaryDirectory ${dir}`,
      `TCPSocket ${port}`,
      "TCPAddr 127.0.0.1",
      "Foreground yes",
      `LogFile ${log}`,
      "SelfCheck 0",
      "",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(clamdBinary(), ["-c", conf], { stdio: "ignore" });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `tcp://127.0.0.1:${port}`;
  const antivirus = createAntivirus(url, { timeoutMs: 2000, connectTimeoutMs: 500 });
  const deadline = Date.now() + 60_000;
  while (!(await antivirus.ping())) {
    if (child.exitCode !== null || Date.now() > deadline) {
      const why = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "(no log)";
      child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`clamd did not start (exit ${child.exitCode}):\n${why}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    async stop() {
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
