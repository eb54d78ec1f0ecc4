// Deadline rush (issue 4): 300 applicants, each with 3 documents of 1 MB, finalize within
// the same minute against PostgreSQL. Checks: zero errors; nothing lost (each postulación
// registrada with its 3 documents' files stored and its confirmation e-mail delivered to a
// real SMTP server on loopback, once); p99 of the finalize request ≤ 500 ms.
//
//   npm run build && node bench/deadline-rush.mjs [--n 300] [--window 60]
//
// The documents are uploaded first (over HTTP, as the applicants would during the days
// before), then the 300 "Aceptar" arrive at random instants of one minute.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freshDatabase, peakRssMiB, startApp } from "./lib.mjs";
import { bigPdf, browser, seed, SESSION_SECRET, uploadBody } from "./uploads.mjs";

const arg = (name, dflt) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
const n = arg("n", 300);
const windowSeconds = arg("window", 60);

const received = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onData(stream, _session, cb) {
    // The subject is MIME-encoded (it has "N°" and "—"): decode it to find the number.
    simpleParser(stream)
      .then((mail) => {
        received.push(mail.subject ?? "");
        cb();
      })
      .catch(cb);
  },
});
await new Promise((r) => smtp.listen(0, "127.0.0.1", r));
const smtpPort = smtp.server.address().port;

const url = await freshDatabase("cas_bench_rush");
const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-rush-"));
const app = await startApp(
  { DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET, SMTP_URL: `smtp://127.0.0.1:${smtpPort}`, DATABASE_POOL_SIZE: "20" },
  { port: 3312 },
);
const q = (p) => p.toFixed(0);
try {
  const { db, convocatoriaId, people } = await seed(url, n);
  const pdfs = await Promise.all([0, 1, 2].map((i) => bigPdf(1024 * 1024, `Documento ${i + 1}`)));
  console.log(`uploading ${n * 3} documents of 1 MB…`);
  const clients = [];
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < people.length) {
        const i = next++;
        const c = await browser(app.base, people[i], convocatoriaId);
        clients[i] = c;
        for (const [k, tipo] of ["DNI", "FICHA_CURRICULAR", "DECLARACIONES_JURADAS"].entries()) {
          const r = await c.post(`/postulacion/${convocatoriaId}`, uploadBody(c.csrf, tipo, pdfs[k], `${tipo}.pdf`));
          await r.arrayBuffer();
          if (r.status !== 302) throw new Error(`upload ${tipo}: ${r.status}`);
        }
        const docs = await db.query(
          `select d.id from documentos d join postulaciones p on p.id = d.postulacion_id where p.postulante_id = $1`,
          [people[i].id],
        );
        const pid = (await db.query(`select id from postulaciones where postulante_id = $1`, [people[i].id])).rows[0].id;
        const body = new URLSearchParams({ csrf: c.csrf, postulacionId: pid, intent: "confirmar" });
        for (const d of docs.rows) body.append("confirmar", d.id);
        const r = await c.post(`/postulacion/${convocatoriaId}`, body);
        await r.arrayBuffer();
        if (r.status !== 302) throw new Error(`confirmar: ${r.status}`);
      }
    }),
  );
  console.log(`uploads done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // The rush: every "Aceptar" at a random instant of the same minute.
  console.log(`${n} finalizations within ${windowSeconds} s…`);
  const latencies = [];
  const errors = [];
  const start = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      await new Promise((r) => setTimeout(r, Math.random() * windowSeconds * 1000));
      const t = performance.now();
      const r = await c.post(`/postulacion/${convocatoriaId}/finalizar`, new URLSearchParams({ csrf: c.csrf, declaracion: "on", acepto: "on" }));
      await r.arrayBuffer();
      latencies.push(performance.now() - t);
      if (r.status !== 302 || !r.headers.get("location")?.endsWith("/confirmada")) errors.push(r.status);
    }),
  );
  const rushSeconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))];

  // Nothing lost: registrada, its three files stored, its e-mail delivered once.
  const deadline = Date.now() + 120_000;
  while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const rows = await db.query(
    `select p.id, p.estado, p.numero, count(d.id)::int as docs, array_agg(d.original_key) as keys, array_agg(d.sanitized_key) as skeys
     from postulaciones p left join documentos d on d.postulacion_id = p.id where p.convocatoria_id = $1 group by p.id`,
    [convocatoriaId],
  );
  const whole = rows.rows.filter(
    (r) =>
      r.estado === "registrada" &&
      r.docs === 3 &&
      [...r.keys, ...r.skeys].every((k) => existsSync(path.join(dataDir, "files", k))) &&
      received.filter((s) => s.includes(r.numero)).length === 1,
  ).length;
  await db.end();
  const result = {
    applicants: n,
    finalizeErrors: errors.length,
    rushSeconds: Number(rushSeconds.toFixed(1)),
    finalizeMs: { p50: q(pct(50)), p90: q(pct(90)), p99: q(pct(99)), max: q(latencies.at(-1)) },
    registradasWithFilesAndOneEmail: whole,
    emailsReceived: received.length,
    peakServerRssMiB: peakRssMiB(app.pid),
    targets: { zeroErrors: errors.length === 0, nothingLost: whole === n, p99Under500ms: pct(99) <= 500 },
  };
  console.log(JSON.stringify(result, null, 2));
} finally {
  await app.stop();
  smtp.close();
  rmSync(dataDir, { recursive: true, force: true });
}
