// Uploads benchmark (issue 4): 50 concurrent 10 MB uploads ("CARGAR", no-JS multipart post)
// against the BUILT app over PostgreSQL and local storage. Checks: every file stored intact
// (SHA-256 of what was sent = the documento row's = the stored file's), peak server RSS
// (VmHWM of the app process) ≤ 350 MB, aggregate throughput ≥ 50 % of writing the same
// bytes to the same storage directory directly (hashing on the way, as the storage does),
// measured in the same run: rounds of (direct writes, uploads), the median of the rounds'
// ratios after a warm-up round (its figures are printed, not counted); peak RSS over all; `sync` after each phase and each phase's files deleted after it (the uploads' once
// checked), so that no phase pays for writing back or caching another's.
//
//   npm run build && node bench/uploads.mjs [--n 50] [--mb 10] [--rounds 5] [--warmup 1] [--formdata] [--port 3311]
//
// The uploads are sent with node:http (postUpload); --formdata sends them with fetch and
// FormData instead (the same bytes, ~2.7 × the client's CPU on the machine under test).
//
// Run from a built tree (not /work/main: copy it, see bench/README.md).
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createWriteStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { open } from "node:fs/promises";
import { Readable, Transform } from "node:stream";
import { pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import pg from "pg";
import {
  PDFDocument, PDFName, StandardFonts, concatTransformationMatrix, drawObject, popGraphicsState, pushGraphicsState,
} from "pdf-lib";
import { freshDatabase, median, peakRssMiB, postMultipart, procCpu, startApp } from "./lib.mjs";

export const SESSION_SECRET = "bench-secret-bench-secret-bench-secret-01";

/** A valid PDF of about `bytes` bytes: one text page plus one page drawing an image of random (incompressible) JPEG-like data. */
export async function bigPdf(bytes, label) {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const page = doc.addPage([595, 842]);
  page.drawText(label, { x: 50, y: 780, size: 14, font });
  const noise = doc.context.stream(randomBytes(Math.max(0, bytes - 4000)), {
    Type: "XObject",
    Subtype: "Image",
    Width: 1000,
    Height: 1000,
    ColorSpace: "DeviceGray",
    BitsPerComponent: 8,
    Filter: "DCTDecode",
  });
  const ref = doc.context.register(noise);
  const second = doc.addPage([595, 842]);
  second.node.setXObject(PDFName.of("Im0"), ref);
  second.pushOperators(pushGraphicsState(), concatTransformationMatrix(495, 0, 0, 495, 50, 200), drawObject("Im0"), popGraphicsState());
  return doc.save({ useObjectStreams: false });
}

/** The document types of the seed's convocatoria (bench/crowd.mjs asks for all nine of bench/convocatorias-seed.mjs). */
const SEED_TIPOS = [["DNI", true], ["CARNET_EXTRANJERIA", true], ["FICHA_CURRICULAR", true], ["FORMACION_ACADEMICA", false], ["EXPERIENCIA", false], ["DECLARACIONES_JURADAS", true]];

/** Convocatoria (window open now), applicants and their sessions, straight in the database. */
export async function seed(url, n, tipos = SEED_TIPOS) {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const now = Date.now();
  const conv = await db.query(
    `insert into convocatorias (codigo, puesto, unidad_organica, vacantes, remuneracion, tipo_contrato, sede, ubigeo, estado,
       published_at, postulacion_inicio, postulacion_fin)
     values ($1, 'Analista', 'Oficina de Recursos Humanos', 1, 4500, 'suplencia', 'Sede Central', '150101', 'publicada', $2, $2, $3)
     returning id`,
    [`CAS N° ${randomBytes(3).toString("hex")}-2026-BENCH`, new Date(now - 3600_000), new Date(now + 6 * 3600_000)],
  );
  const convocatoriaId = conv.rows[0].id;
  for (const [tipo, requerido] of tipos) {
    await db.query(
      `insert into convocatoria_documentos (convocatoria_id, tipo, requerido, nombre, max_bytes, orden)
       select $1, codigo, $3, nombre, max_bytes, orden from tipos_documento where codigo = $2`,
      [convocatoriaId, tipo, requerido],
    );
  }
  const people = [];
  for (let i = 0; i < n; i++) {
    const tag = randomBytes(4).toString("hex");
    const p = await db.query(
      `insert into postulantes (nacionalidad, tipo_documento, numero_documento, nombres, apellido_paterno, fecha_nacimiento, sexo, email,
         email_verified_at, celular, direccion, ubigeo, password_hash, consent_version, consent_at)
       values ('PE', 'DNI', $1, 'Postulante', 'Bench', '1990-01-01', 'F', $2, now(), '987654321', 'Av. Bench 1', '150101', 'x', 'bench', now())
       returning id`,
      [String(10_000_000 + Math.floor(Math.random() * 89_999_999)), `bench-${tag}@correo.test`],
    );
    const token = randomBytes(32).toString("base64url");
    await db.query(`insert into sessions (id_hash, postulante_id, expires_at) values ($1, $2, now() + interval '12 hours')`, [
      createHash("sha256").update(token).digest("hex"),
      p.rows[0].id,
    ]);
    people.push({ id: p.rows[0].id, token });
  }
  return { db, convocatoriaId, people };
}

/** A no-JS browser: the session cookie, the CSRF cookie and token from the page. */
export async function browser(base, person, convocatoriaId) {
  const cookies = new Map([["cas_session", person.token]]);
  const cookie = () => [...cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  const remember = (r) => {
    for (const line of r.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  };
  const page = await fetch(`${base}/postulacion/${convocatoriaId}`, { headers: { cookie: cookie() }, redirect: "manual" });
  remember(page);
  const html = await page.text();
  const csrf = html.match(/name="csrf" value="([^"]+)"/)?.[1];
  if (!csrf) throw new Error(`no CSRF token (status ${page.status})`);
  const post = (url, body) =>
    fetch(base + url, { method: "POST", body, headers: { cookie: cookie(), origin: base, "sec-fetch-site": "same-origin" }, redirect: "manual" });
  return { csrf, post, cookie };
}

/**
 * The same upload as uploadBody, written with node:http (postMultipart): byte for byte what a
 * browser sends, the file's bytes as they are.
 */
export function postUpload(base, url, client, csrf, tipo, bytes, name) {
  return postMultipart(base + url, { cookie: client.cookie(), origin: base }, { csrf, tipo }, { field: "archivo", name, bytes });
}

export function uploadBody(csrf, tipo, bytes, name) {
  const form = new FormData();
  form.append("csrf", csrf);
  form.append("tipo", tipo);
  form.append("archivo", new Blob([bytes], { type: "application/pdf" }), name);
  return form;
}

async function syncDirectory(dir) {
  const handle = await open(dir, "r");
  await handle.sync();
  await handle.close();
}

/** The app's process and its direct children (the PDF runner), whose children it reaps in turn. */
function appCpuSeconds(pid) {
  let total = procCpu(pid).total;
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    let children = "";
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, "latin1");
    } catch {
      continue;
    }
    for (const child of children.trim().split(/\s+/).filter(Boolean)) {
      try {
        total += procCpu(child).total;
      } catch {
        // ended meanwhile
      }
    }
  }
  return total;
}

async function main() {
  const arg = (name, dflt) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) || dflt;
  const n = arg("n", 50);
  const mb = arg("mb", 10);
  // Rounds of (direct writes, then the uploads), alternated; the median of the per-round
  // ratios is the result (the machine may be shared, and the first writes of a run differ).
  const measured = arg("rounds", 5);
  // Warm-up rounds first, reported but not in the median: a server that has just started
  // runs its first 500 MB slower (V8 compiles the upload path and sizes its heap and GC
  // limits; its first rounds did ~1.5 s, later ones ~1.1 s), and a deployed one is warm.
  const warmup = process.argv.includes("--warmup") ? Number(process.argv[process.argv.indexOf("--warmup") + 1]) : 1;
  const rounds = warmup + measured;
  // The load generator: node:http (default) or fetch with FormData, as before 2026-11-27.
  const clientKind = process.argv.includes("--formdata") ? "formdata" : "http";
  const url = await freshDatabase("cas_bench_uploads");
  const dataDir = mkdtempSync(path.join(tmpdir(), "cas-bench-uploads-"));
  const app = await startApp({ DATABASE_URL: url, DATA_DIR: dataDir, SESSION_SECRET }, { port: arg("port", 3311) });
  try {
    // A new set of n applicants per round: each round's uploads are first uploads.
    const { db, convocatoriaId, people } = await seed(url, n * rounds);
    console.log(`making ${n} PDFs of ${mb} MB…`);
    // Just under the limit (10 MB = 10 × 1024 × 1024 bytes, multipart overhead aside).
    const files = await Promise.all(Array.from({ length: n }, (_, i) => bigPdf(mb * 1024 * 1024 - 8 * 1024, `Documento ${i + 1}`)));
    const hashes = files.map((f) => createHash("sha256").update(f).digest("hex"));
    const totalBytes = files.reduce((s, f) => s + f.length, 0);
    const route = `/postulacion/${convocatoriaId}`;
    const mbps = (s) => Number((totalBytes / 1024 / 1024 / s).toFixed(1));

    const results = [];
    for (let round = 0; round < rounds; round++) {
      // This round's applicants open the Postulación page first (untimed), as they would.
      const roundClients = await Promise.all(people.slice(round * n, (round + 1) * n).map((p) => browser(app.base, p, convocatoriaId)));
      // 1. Direct writes of the same bytes to the same storage directory, as the local
      // storage writes (storage.server.ts): hashed on the way, the data flushed to disk, the
      // directory synced. Then, for comparison only, the same without flush and sync.
      const directWrites = async (durable) => {
        const direct = path.join(dataDir, "files", "bench-direct");
        mkdirSync(direct, { recursive: true });
        const t0 = performance.now();
        await Promise.all(
          files.map(async (bytes) => {
            const hash = createHash("sha256");
            const hashing = new Transform({ transform(chunk, _e, cb) { hash.update(chunk); cb(null, chunk); } });
            await pipeline(Readable.from([Buffer.from(bytes)]), hashing, createWriteStream(path.join(direct, randomUUID()), { flush: durable }));
            hash.digest("hex");
            if (durable) await syncDirectory(direct);
          }),
        );
        const seconds = (performance.now() - t0) / 1000;
        rmSync(direct, { recursive: true, force: true });
        // Each phase starts with no dirty pages of an earlier one being written back meanwhile.
        execFileSync("sync");
        return seconds;
      };
      const directSeconds = await directWrites(true);
      const unsyncedSeconds = await directWrites(false);

      // 2. The same bytes as n concurrent uploads, by this round's applicants.
      const serverSplit0 = procCpu(app.pid);
      const cpu0 = { app: appCpuSeconds(app.pid), bench: process.cpuUsage() };
      const t1 = performance.now();
      const statuses = await Promise.all(
        roundClients.map((c, i) =>
          clientKind === "formdata"
            ? c.post(route, uploadBody(c.csrf, "FORMACION_ACADEMICA", files[i], `sustentos-${i + 1}.pdf`)).then(async (r) => {
                await r.arrayBuffer();
                return r.status;
              })
            : postUpload(app.base, route, c, c.csrf, "FORMACION_ACADEMICA", files[i], `sustentos-${i + 1}.pdf`),
        ),
      );
      const uploadSeconds = (performance.now() - t1) / 1000;
      const benchCpu = process.cpuUsage(cpu0.bench);
      const appCpu = appCpuSeconds(app.pid) - cpu0.app;
      const serverCpu = procCpu(app.pid);
      execFileSync("sync");

      // 3. Integrity: the row's hash and the stored file's hash are those of the bytes sent.
      const rows = await db.query(
        `select a.sha256, a.original_key, p.postulante_id from documentos d join archivos a on a.id = d.archivo_id join postulaciones p on p.id = d.postulacion_id where p.convocatoria_id = $1`,
        [convocatoriaId],
      );
      let intact = 0;
      for (const [i, person] of people.slice(round * n, (round + 1) * n).entries()) {
        const row = rows.rows.find((r) => r.postulante_id === person.id);
        if (!row || row.sha256 !== hashes[i]) continue;
        const stored = createHash("sha256").update(readFileSync(path.join(dataDir, "files", row.original_key))).digest("hex");
        if (stored === hashes[i]) intact++;
      }
      // Then the round's files go, as the direct writes' did: every phase writes into the
      // same page cache (kept, 500 MB a round made later rounds' writes slower, either phase's).
      for (const row of rows.rows) rmSync(path.join(dataDir, "files", row.original_key), { force: true });
      results.push({
        ok: statuses.filter((s) => s === 302).length,
        statuses: [...new Set(statuses)],
        intact,
        uploadSeconds: Number(uploadSeconds.toFixed(2)),
        uploadMBps: mbps(uploadSeconds),
        directSeconds: Number(directSeconds.toFixed(2)),
        directMBps: mbps(directSeconds),
        ratio: Number((directSeconds / uploadSeconds).toFixed(3)),
        unsyncedDirectSeconds: Number(unsyncedSeconds.toFixed(2)),
        ratioVsUnsyncedWrites: Number((unsyncedSeconds / uploadSeconds).toFixed(3)),
        // CPU seconds spent during the uploads: the app with its PDF runner and children, and this client.
        appCpuSeconds: Number(appCpu.toFixed(2)),
        clientCpuSeconds: Number(((benchCpu.user + benchCpu.system) / 1e6).toFixed(2)),
        // Of which the app's own process, user and system time.
        serverUserSeconds: Number((serverCpu.user - serverSplit0.user).toFixed(2)),
        serverSystemSeconds: Number((serverCpu.system - serverSplit0.system).toFixed(2)),
      });
    }
    await db.end();
    const peak = peakRssMiB(app.pid);
    const counted = results.slice(warmup);
    const ratio = median(counted.map((r) => r.ratio));
    const ratioVsUnsynced = median(counted.map((r) => r.ratioVsUnsyncedWrites));
    // Every round's files must be intact, the warm-up's too.
    const intact = Math.min(...results.map((r) => r.intact));
    const result = {
      uploads: n,
      sizeMB: mb,
      client: clientKind,
      warmupRounds: results.slice(0, warmup),
      rounds: counted,
      intactEveryRound: intact === n,
      peakServerRssMiB: peak,
      throughputRatioMedian: ratio,
      // Against writes that are not flushed to disk (what the storage did before 2026-11-27 12:30).
      ratioVsUnsyncedWritesMedian: ratioVsUnsynced,
      targets: { allIntact: intact === n, rssUnder350: peak <= 350, throughputAtLeastHalf: ratio >= 0.5 },
    };
    console.log(JSON.stringify(result, null, 2));
    if (!Object.values(result.targets).every(Boolean)) process.exitCode = 1;
  } finally {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
