import { spawn, type ChildProcess } from "node:child_process";
import { and, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox, postulaciones } from "~/db/schema";
import { createPostulante, type TestPostulante } from "../support/accounts";
import { createTestDatabase, onPostgres } from "../support/db";
import { freePort, TestClient } from "../support/http";
import { normalPdf } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, REQUERIDOS_PE, signIn, upload, uploadDirect } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * The server killed with SIGKILL in the middle of uploads and of finalizations (issue 4,
 * Integrity). PostgreSQL only: the app runs as a CHILD PROCESS (`node server.js --dev`)
 * over the test's database and DATA_DIR, so the test can kill it and start it again.
 * After every kill: each postulación is either registrada with all its files (and its
 * e-mail queued) or still a draft, and no documento row lacks its stored files.
 */
describe("Postulación survives SIGKILL", () => {
  let s: TestServices;
  let dbUrl: string;
  let port: number;
  let child: ChildProcess | undefined;
  let pdf: Uint8Array;
  let convocatoriaId: string;

  beforeAll(async () => {
    if (!onPostgres()) throw new Error("postulacion-integrity.pg.test.ts runs only with TEST_DB=postgres");
    const database = await createTestDatabase();
    dbUrl = database.url!;
    s = await createTestServices({ database, now: new Date() });
    pdf = await normalPdf(2);
    port = await freePort();
    // The child uses the real clock: the window is open around now.
    const c = await createConvocatoriaAbierta(s);
    convocatoriaId = c.id;
  }, 120_000);
  afterAll(async () => {
    await stopChild("SIGKILL");
    await s?.close();
  });


  const base = () => `http://127.0.0.1:${port}`;

  async function startChild() {
    child = spawn(process.execPath, ["server.js", "--dev"], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "development",
        DATABASE_URL: dbUrl,
        DATA_DIR: s.config.dataDir,
        SESSION_SECRET: s.config.sessionSecret,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "ignore", "inherit"],
    });
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}`);
      try {
        if ((await fetch(`${base()}/readyz`)).status === 200) break;
      } catch {
        // not yet listening
      }
      if (Date.now() - started > 60_000) throw new Error("app did not become ready");
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function stopChild(signal: NodeJS.Signals) {
    if (!child || child.exitCode !== null || child.signalCode) return;
    const exited = new Promise((r) => child!.once("exit", r));
    child.kill(signal);
    await exited;
  }

  async function client(p: TestPostulante) {
    s.clock.set(new Date());
    const c = await signIn(s, new TestClient(base()), p);
    await c.get(`/postulacion/${convocatoriaId}`);
    return c;
  }

  /** The invariant, checked after every kill. */
  async function assertConsistent(postulanteIds: string[]) {
    const rows = await s.db.select().from(postulaciones).where(inArray(postulaciones.postulanteId, postulanteIds));
    for (const row of rows) {
      const docs = await documentosDe(s.db, row.id);
      for (const d of docs) {
        expect(await s.storage.exists(d.originalKey), `original of ${d.tipo}`).toBe(true);
        expect(await s.storage.exists(d.sanitizedKey), `sanitised copy of ${d.tipo}`).toBe(true);
      }
      if (row.estado === "registrada") {
        expect(row.numero).toMatch(/^\d{4}-\d{6}$/);
        expect(await s.storage.exists(row.constanciaKey!)).toBe(true);
        for (const tipo of REQUERIDOS_PE) expect(docs.find((d) => d.tipo === tipo)?.confirmadoAt, tipo).toBeTruthy();
        expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${row.id}`))).toHaveLength(1);
      } else {
        expect(row.estado).toBe("en_registro");
        expect(row.numero).toBeNull();
        expect(await s.db.select().from(outbox).where(eq(outbox.causeKey, `postulacion-registrada:${row.id}`))).toHaveLength(0);
      }
    }
  }

  /** One applicant's last steps over HTTP: the third document, the confirmations, "Aceptar". */
  async function finish(p: TestPostulante) {
    const c = await client(p);
    const [row] = await s.db
      .select()
      .from(postulaciones)
      .where(and(eq(postulaciones.postulanteId, p.id), eq(postulaciones.convocatoriaId, convocatoriaId)));
    if (row?.estado === "registrada") return "registrada";
    const docs = row ? await documentosDe(s.db, row.id) : [];
    if (!docs.some((d) => d.tipo === "DECLARACIONES_JURADAS")) {
      const res = await upload(c, `/postulacion/${convocatoriaId}`, "DECLARACIONES_JURADAS", pdf);
      if (res.status !== 302) throw new Error(`upload ${res.status}`);
      await c.get(`/postulacion/${convocatoriaId}`);
    }
    const all = await documentosDe(s.db, row!.id);
    await c.post(`/postulacion/${convocatoriaId}`, {
      postulacionId: row!.id,
      intent: "aceptar",
      declaracion: "on",
      acepto: "on",
      confirmar: all.map((d) => d.id),
    });
    return "sent";
  }

  it("keeps every postulación whole when the server is killed in the middle of uploads and finalizations", async () => {
    const people = await Promise.all(Array.from({ length: 8 }, () => createPostulante(s)));
    // Two of the three documents already there (through the use case, in this process).
    for (const p of people) {
      s.clock.set(new Date());
      for (const tipo of ["DNI", "FICHA_CURRICULAR"]) await uploadDirect(s, p.id, convocatoriaId, tipo, pdf);
    }
    await startChild();
    // Warm the dev server (route compilation) so the kill lands in the middle of real work.
    await (await client(people[0]!)).get(`/postulacion/${convocatoriaId}`);

    for (const delayMs of [400, 900, 1600]) {
      const work = Promise.allSettled(people.map((p) => finish(p)));
      await new Promise((r) => setTimeout(r, delayMs));
      await stopChild("SIGKILL");
      await work;
      await assertConsistent(people.map((p) => p.id));
      await startChild();
    }
    // After the restarts, everyone can complete, once.
    for (const p of people) await finish(p);
    await assertConsistent(people.map((p) => p.id));
    const rows = await s.db.select().from(postulaciones).where(inArray(postulaciones.postulanteId, people.map((p) => p.id)));
    expect(rows).toHaveLength(people.length);
    expect(rows.every((r) => r.estado === "registrada")).toBe(true);
    expect(new Set(rows.map((r) => r.numero)).size).toBe(people.length);
    await stopChild("SIGTERM");
  }, 300_000);
});
