import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createAntivirus } from "~/platform/antivirus.server";
import { rawPdf } from "./pdfs";

/**
 * A real clamd (Debian's clamav-daemon, installed by scripts/ensure-system-packages.sh) on
 * loopback, on a free port. freshclam cannot reach the internet here, and clamd refuses to
 * start without signatures: it gets a temp database with EICAR's signatures: a hash one
 * (MD5 and size of the EICAR test file, in a .hdb file) and a body one (the EICAR string at
 * any offset of any file, in a .ndb file) that finds it inside a PDF too (eicarPdf()).
 *
 *   const clamd = await startClamd();  …  createAntivirus(clamd.url)  …  await clamd.stop();
 */
export const EICAR = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*";

/**
 * A valid one-page PDF that carries the EICAR string in its uncompressed content stream (as a
 * comment: nothing is drawn from it), so the PDF inspection accepts it and clamd finds it.
 */
export function eicarPdf(): Buffer {
  const content = Buffer.from(`% ${EICAR}\n0 0 1 rg 50 50 200 100 re f\n`, "latin1");
  return rawPdf([
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    Buffer.concat([Buffer.from(`<< /Length ${content.length} >>\nstream\n`), content, Buffer.from("\nendstream")]),
  ]);
}

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
  // The same string anywhere in a file (body signature, any target type): EICAR inside a valid PDF.
  writeFileSync(path.join(db, "cas-test.ndb"), `Eicar-Test-Signature-Embedded:0:*:${Buffer.from(EICAR).toString("hex")}\n`);
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
