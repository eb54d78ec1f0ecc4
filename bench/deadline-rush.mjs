// Deadline rush (issues 4 and 15): 1,000 applicants (--n), each with 3 documents of 1 MB, finalize within
// the same minute against PostgreSQL. Checks: zero errors; nothing lost (each postulación
// registrada with its 3 documents' files stored and its confirmation e-mail delivered to a
// real SMTP server on loopback, once); p99 of the finalize request ≤ 500 ms.
//
//   npm run build && node bench/deadline-rush.mjs [--n 300] [--window 60]
//
// The documents are uploaded first (over HTTP, as the applicants would during the days
// before), then the 300 "Aceptar" arrive at random instants of one minute.
// bench/cluster.mjs runs the same phases through nginx (startSmtp, uploadAll, finalizeAll, countWhole).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freshDatabase, peakRssMiB, startApp } from "./lib.mjs";
import { bigPdf, browser, seed, SESSION_SECRET, uploadBody } from "./uploads.mjs";

const arg = (name, dflt) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
export const RUSH_APPLICANTS = 1000; // issue 15: 1,000 finalizations within the minute (issue 4 asked 300)

/** A real SMTP server on loopback; `received` holds the decoded subjects. */
export async function startSmtp() {
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
  return { port: smtp.server.address().port, received, close: () => smtp.close() };
}

/** The p-th percentile of sorted values. */
export const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

/**
 * Each applicant uploads 3 documents of 1 MB and confirms them, 20 applicants at a time.
 * Returns the browsers, in order, and each upload's time in ms, sorted.
 */
export async function uploadAll(base, db, people, convocatoriaId) {
  const pdfs = await Promise.all([0, 1, 2].map((i) => bigPdf(1024 * 1024, `Documento ${i + 1}`)));
  const clients = [];
  const uploadMs = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < people.length) {
        const i = next++;
        const c = await browser(base, people[i], convocatoriaId);
        clients[i] = c;
        for (const [k, tipo] of ["DNI", "FICHA_CURRICULAR", "DECLARACIONES_JURADAS"].entries()) {
          const t = performance.now();
          const r = await c.post(`/postulacion/${convocatoriaId}`, uploadBody(c.csrf, tipo, pdfs[k], `${tipo}.pdf`));
          await r.arrayBuffer();
          uploadMs.push(performance.now() - t);
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
  return { clients, uploadMs: uploadMs.sort((a, b) => a - b) };
}

/** The rush: every "Aceptar" at a random instant of the window. Latencies in ms, sorted. */
export async function finalizeAll(clients, convocatoriaId, windowSeconds) {
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
  latencies.sort((a, b) => a - b);
  return { latencies, errors, seconds: (performance.now() - start) / 1000 };
}

/**
 * Nothing lost: the postulaciones registrada with their 3 documents, every file stored
 * (`await stored(key)`) and exactly one e-mail with their number (waits up to 2 minutes for the mail).
 */
export async function countWhole(db, convocatoriaId, received, n, stored) {
  const deadline = Date.now() + 120_000;
  while (received.length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 500));
  const rows = await db.query(
    `select p.id, p.estado, p.numero, count(d.id)::int as docs, array_agg(a.original_key) as keys, array_agg(a.sanitized_key) as skeys
     from postulaciones p left join documentos d on d.postulacion_id = p.id left join archivos a on a.id = d.archivo_id
     where p.convocatoria_id = $1 group by p.id`,
    [convocatoriaId],
  );
  const missing = new Set();
  for (const key of new Set(rows.rows.flatMap((r) => [...r.keys, ...r.skeys]))) if (key === null || !(await stored(key))) missing.add(key);
  return rows.rows.filter(
    (r) =>
      r.estado === "registrada" &&
      r.docs === 3 &&
      [...r.keys, ...r.skeys].every((key) => !missing.has(key)) &&
      received.filter((s) => s.includes(r.numero)).length === 1,
  ).length;
}

async function main() {
  const n = arg("n", RUSH_APPLICANTS);
  const windowSeconds = arg("window", 60);
  const smtp = await startSmtp();
  const url = await freshDatabase("cas_bench_rush");
  const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-rush-"));
  const app = await startApp(
    { DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET, SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, DATABASE_POOL_SIZE: "20" },
    { port: 3312 },
  );
  const q = (p) => p.toFixed(0);
  try {
    const { db, convocatoriaId, people } = await seed(url, n);
    console.log(`uploading ${n * 3} documents of 1 MB…`);
    const t0 = performance.now();
    const { clients } = await uploadAll(app.base, db, people, convocatoriaId);
    console.log(`uploads done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    console.log(`${n} finalizations within ${windowSeconds} s…`);
    const { latencies, errors, seconds } = await finalizeAll(clients, convocatoriaId, windowSeconds);
    const pct = (p) => percentile(latencies, p);
    const whole = await countWhole(db, convocatoriaId, smtp.received, n, (k) => existsSync(path.join(dataDir, "files", k)));
    await db.end();
    const result = {
      applicants: n,
      finalizeErrors: errors.length,
      rushSeconds: Number(seconds.toFixed(1)),
      finalizeMs: { p50: q(pct(50)), p90: q(pct(90)), p99: q(pct(99)), max: q(latencies.at(-1)) },
      registradasWithFilesAndOneEmail: whole,
      emailsReceived: smtp.received.length,
      peakServerRssMiB: peakRssMiB(app.pid),
      targets: { zeroErrors: errors.length === 0, nothingLost: whole === n, p99Under500ms: pct(99) <= 500 },
    };
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await app.stop();
    smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
