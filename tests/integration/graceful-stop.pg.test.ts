import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postulaciones } from "~/db/schema";
import { createPostulante } from "../support/accounts";
import { createTestDatabase, onPostgres } from "../support/db";
import { freePort, TestClient } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, signIn } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * SIGTERM with an upload in flight (issue 16, graceful stop). The app runs as a child process
 * (the start command) over the test's PostgreSQL database and DATA_DIR. It must answer
 * /readyz 503 at once, take no new connection, finish the upload when it completes within
 * SHUTDOWN_TIMEOUT and exit 0; an upload still running at the deadline is answered 503 with
 * Retry-After and nothing of it is stored.
 */
describe("graceful stop", () => {
  let s: TestServices;
  let dbUrl: string;
  let convocatoriaId: string;
  let pdf: Uint8Array;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!onPostgres()) throw new Error("graceful-stop.pg.test.ts runs only with TEST_DB=postgres");
    const database = await createTestDatabase();
    dbUrl = database.url!;
    s = await createTestServices({ database, now: new Date() });
    convocatoriaId = (await createConvocatoriaAbierta(s)).id;
    pdf = await normalPdf(3, "Ficha curricular");
  }, 120_000);
  afterAll(async () => {
    for (const proc of children) if (proc.exitCode === null && !proc.signalCode) proc.kill("SIGKILL");
    await s?.close();
  });


  async function startChild(port: number, shutdownTimeout: number) {
    const built = existsSync("build/server/index.js");
    const proc = spawn(process.execPath, ["server.js", built ? "--production" : "--dev"], {
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: dbUrl,
        DATA_DIR: s.config.dataDir,
        SESSION_SECRET: s.config.sessionSecret,
        TOTP_ENCRYPTION_KEY: "b".repeat(64),
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        SHUTDOWN_TIMEOUT: String(shutdownTimeout),
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    children.push(proc);
    const started = Date.now();
    for (;;) {
      if (proc.exitCode !== null) throw new Error(`app exited with ${proc.exitCode}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 90_000) throw new Error("app did not become ready");
      await new Promise((r) => setTimeout(r, 100));
    }
    return proc;
  }

  /** A signed-in applicant's upload, as a browser builds it, sent by hand so the test decides when each half leaves. */
  async function slowUpload(base: string) {
    const p = await createPostulante(s);
    const client = await signIn(s, new TestClient(base), p);
    await client.get(`/postulacion/${convocatoriaId}`);
    const form = new FormData();
    form.append("csrf", client.csrf);
    form.append("tipo", "FICHA_CURRICULAR");
    form.append("archivo", new Blob([pdf as BlobPart], { type: "application/pdf" }), "ficha.pdf");
    const serialized = new Request(base, { method: "POST", body: form });
    const body = Buffer.from(await serialized.arrayBuffer());
    const url = new URL(`/postulacion/${convocatoriaId}`, base);
    const req = http.request(url, {
      method: "POST",
      headers: {
        "content-type": serialized.headers.get("content-type")!,
        "content-length": String(body.length),
        cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
      },
    });
    const answer = new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }>((resolve, reject) => {
      req.on("response", (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, text }));
      });
      req.on("error", reject);
    });
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half));
    // The first half is being read by the server before the stop begins.
    await new Promise((r) => setTimeout(r, 500));
    return { postulante: p, answer, finish: () => req.end(body.subarray(half)), abort: () => req.destroy() };
  }

  const exitOf = (proc: ChildProcess) =>
    new Promise<number | null>((resolve) => (proc.exitCode !== null ? resolve(proc.exitCode) : proc.once("exit", (code) => resolve(code))));

  async function documentosOf(postulanteId: string) {
    const rows = await s.db.select({ id: postulaciones.id }).from(postulaciones).where(eq(postulaciones.postulanteId, postulanteId));
    if (rows.length === 0) return [];
    return documentosDe(s.db, rows[0]!.id);
  }

  it("finishes an upload in flight, answers /readyz and new requests 503 at once, exits 0", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = await startChild(port, 30);
    // A connection the proxy keeps open, made before the stop.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = (p: string) =>
      new Promise<number>((resolve, reject) =>
        http.get(`${base}${p}`, { agent }, (res) => (res.resume(), res.on("end", () => resolve(res.statusCode!)))).on("error", reject),
      );
    expect(await get("/readyz")).toBe(200);

    const upload = await slowUpload(base);
    const exited = exitOf(proc);
    proc.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 300));
    expect(await get("/readyz")).toBe(503);
    // A new request is refused before anything is done, for the proxy to retry elsewhere.
    const late = await fetch(`${base}/convocatorias`);
    expect(late.status).toBe(503);
    expect(late.headers.get("retry-after")).toBe("5");

    upload.finish();
    const answer = await upload.answer;
    expect(answer.status, answer.text.slice(0, 300)).toBe(302);
    expect(await exited).toBe(0);
    agent.destroy();
    const docs = await documentosOf(upload.postulante.id);
    expect(docs.map((d) => d.tipo)).toEqual(["FICHA_CURRICULAR"]);
    expect(await s.storage.exists(docs[0]!.originalKey)).toBe(true);
  }, 180_000);

  it("answers 503 with Retry-After to an upload still running at the deadline and stores nothing of it", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = await startChild(port, 2);
    const upload = await slowUpload(base);
    const exited = exitOf(proc);
    const stopAt = Date.now();
    proc.kill("SIGTERM");
    const answer = await upload.answer;
    expect(answer.status).toBe(503);
    expect(answer.headers["retry-after"]).toBeDefined();
    expect(answer.text).toMatch(/Vuelva a intentarlo/);
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    upload.abort();
    expect(await documentosOf(upload.postulante.id)).toEqual([]);
    const tmp = path.join(s.config.dataDir, "tmp");
    const left = existsSync(tmp) ? await readdir(tmp) : [];
    expect(left, "temp files of the cut upload").toEqual([]);
  }, 180_000);
});
