// Ficha benchmark (issue 4): building the ficha (cover + the sanitised uploads, as the app
// does it) against `qpdf --empty --pages <files> -- out.pdf` on the same files, side by side
// in the same run, median of 5. Targets: time ≤ 2 × qpdf, peak RSS ≤ 3 × qpdf.
//
//   node bench/ficha.mjs [--runs 5]
//
// Each contender is a separate process; its peak RSS is the peak of the SUM over its
// process tree (a node driver plus the qpdf it spawns), polled every 5 ms from /proc.
// Contenders:
//   qpdf            the qpdf binary alone (the yardstick)
//   node+qpdf       a minimal node script that spawns the same qpdf (node's own start
//                   and ~40 MB are in it: the fair yardstick for anything run from node)
//   ficha           our build: the app's code (text-pdf + merge, bundled like the app),
//                   cover with the list of documents, page ranges, sizes and SHA-256, then
//                   merge with native qpdf, then the page-count check
//   ficha (pdf-lib) the same with the pdf-lib engine (the fallback without qpdf)
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { makeReferenceSet } from "./make-reference-pdfs.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "bench/results/ficha");
const runs = Number(process.argv[process.argv.indexOf("--runs") + 1]) || 5;
mkdirSync(out, { recursive: true });

// 1. The reference set, sanitised by our PDF worker as at upload.
const refDir = path.join(out, "ref");
const reference = await makeReferenceSet(refDir);
const worker = path.join(root, "app/platform/pdf/pdf-worker.mjs");
const parts = reference.map(({ file, pages }) => {
  const clean = file.replace(/\.pdf$/, ".clean.pdf");
  const r = spawnSync(process.execPath, [worker, "inspect", file, clean, "2000"], { encoding: "utf8" });
  const answer = JSON.parse(r.stdout.trim().split("\n").pop());
  if (!answer.ok || answer.pages !== pages) throw new Error(`sanitising ${file}: ${r.stdout} ${r.stderr}`);
  const bytes = readFileSync(file);
  return {
    path: clean,
    pages,
    name: path.basename(file),
    size: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
});
const totalMb = parts.reduce((s, p) => s + statSync(p.path).size, 0) / 1024 / 1024;
const totalPages = parts.reduce((s, p) => s + p.pages, 0);
writeFileSync(path.join(out, "parts.json"), JSON.stringify(parts));

// 2. Our build, bundled as the app is (the app runs from a bundle too).
const driver = path.join(out, "ficha-driver.mjs");
await build({
  stdin: {
    contents: `
      import { readFileSync } from "node:fs";
      import { spawn } from "node:child_process";
      import { renderTextPdf } from "./app/platform/pdf/text-pdf.server.ts";
      import { mergePdfs, pageRanges } from "./app/platform/pdf/merge.server.ts";
      const [partsFile, output, engine, warm] = process.argv.slice(2);
      const parts = JSON.parse(readFileSync(partsFile, "utf8"));
      const columns = [{ header: "Documento", width: 3 }, { header: "Páginas", width: 1 }, { header: "Tamaño", width: 1, align: "right" }, { header: "SHA-256", width: 4 }];
      async function buildOnce() {
        const head = [
          { title: "Ficha de Postulación" },
          { fields: [["Convocatoria", "CAS N° 012-2026-MIGRACIONES"], ["Puesto", "Analista de sistemas"], ["Postulante", "José Ñuñez Pérez"], ["Documento", "DNI 12345678"]] },
          { heading: "Documentos" },
        ];
        // The cover's own length decides the ranges it lists: laid out once to count its pages, then with the ranges.
        const draft = await renderTextPdf([...head, { table: { columns, rows: parts.map((p) => [p.name, "0000-0000", String(p.size), p.sha256]) } }]);
        const ranges = pageRanges([draft.pages, ...parts.map((p) => p.pages)]).slice(1);
        const cover = await renderTextPdf([...head, { table: { columns, rows: parts.map((p, i) => [p.name, ranges[i].from + "-" + ranges[i].to, String(p.size), p.sha256]) } }]);
        return mergePdfs([{ bytes: cover.bytes, pages: cover.pages }, ...parts.map((p) => ({ path: p.path, pages: p.pages }))], output, { engine });
      }
      function treeRssKb(pid) {
        let total = 0;
        try {
          total += Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync("/proc/" + pid + "/status", "utf8"))?.[1] ?? 0);
          for (const c of readFileSync("/proc/" + pid + "/task/" + pid + "/children", "utf8").trim().split(/\\s+/).filter(Boolean)) total += treeRssKb(Number(c));
        } catch {}
        return total;
      }
      if (!warm) {
        const result = await buildOnce();
        console.log(JSON.stringify({ pages: result.pages, engine: result.engine }));
      } else {
        // As in the server: modules loaded and warm, the process already running.
        // Interleaved with the bare qpdf merge spawned from this same process, so both see the same machine.
        const bareQpdf = () => new Promise((resolve, reject) => {
          const child = spawn("qpdf", ["--empty", "--pages", ...parts.map((p) => p.path), "--", output + ".bare.pdf"], { stdio: "ignore" });
          child.on("error", reject);
          child.on("close", (code) => (code === 0 ? resolve({ pages: 0 }) : reject(new Error("qpdf " + code))));
        });
        const sample = async (job) => {
          global.gc?.();
          await new Promise((r) => setTimeout(r, 50));
          const baselineKb = treeRssKb(process.pid);
          let peakKb = baselineKb;
          const poll = setInterval(() => (peakKb = Math.max(peakKb, treeRssKb(process.pid))), 5);
          const t0 = performance.now();
          await job();
          const ms = performance.now() - t0;
          clearInterval(poll);
          peakKb = Math.max(peakKb, treeRssKb(process.pid));
          return { ms, addedKb: peakKb - baselineKb };
        };
        await buildOnce();
        await bareQpdf();
        const samples = { ficha: [], qpdf: [] };
        for (let i = 0; i < Number(warm); i++) {
          samples.qpdf.push(await sample(bareQpdf));
          samples.ficha.push(await sample(buildOnce));
        }
        console.log(JSON.stringify(samples));
      }
    `,
    resolveDir: root,
    loader: "ts",
    sourcefile: "ficha-driver.ts",
  },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: ["pdf-lib"],
  outfile: driver,
  logLevel: "warning",
});

const nodeQpdf = path.join(out, "node-qpdf.mjs");
writeFileSync(
  nodeQpdf,
  `import { spawnSync } from "node:child_process";
const [output, ...files] = process.argv.slice(2);
const r = spawnSync("qpdf", ["--empty", "--pages", ...files, "--", output], { stdio: "inherit" });
process.exit(r.status);
`,
);

// 3. Measuring: wall time and the peak of the process tree's summed RSS.
function treeRssKb(pid) {
  let total = 0;
  const visit = (p) => {
    try {
      total += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
      for (const child of readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim().split(/\s+/).filter(Boolean)) {
        visit(Number(child));
      }
    } catch {
      // gone
    }
  };
  visit(pid);
  return total;
}

function measure(command, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"], cwd: root });
    let peak = 0;
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    const poll = setInterval(() => (peak = Math.max(peak, treeRssKb(child.pid))), 5);
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      if (code !== 0) reject(new Error(`${command} ${args.join(" ")} exited ${code}`));
      else resolve({ ms: performance.now() - started, rssMb: peak / 1024, stdout });
    });
  });
}

const files = parts.map((p) => p.path);
const contenders = [
  ["qpdf", () => ["qpdf", ["--empty", "--pages", ...files, "--", path.join(out, "qpdf.pdf")]]],
  ["node+qpdf", () => [process.execPath, [nodeQpdf, path.join(out, "node-qpdf.pdf"), ...files]]],
  ["ficha", () => [process.execPath, [driver, path.join(out, "parts.json"), path.join(out, "ficha.pdf"), "qpdf"]]],
  ["ficha (pdf-lib)", () => [process.execPath, [driver, path.join(out, "parts.json"), path.join(out, "ficha-pdflib.pdf"), "pdf-lib"]]],
];
const samples = Object.fromEntries(contenders.map(([name]) => [name, []]));
for (const [, make] of contenders) await measure(...make()); // warm the page cache
for (let i = 0; i < runs; i++) {
  for (const [name, make] of contenders) samples[name].push(await measure(...make()));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = contenders.map(([name]) => ({
  name,
  ms: median(samples[name].map((s) => s.ms)),
  rssMb: median(samples[name].map((s) => s.rssMb)),
}));
// In a running server: the same build, `runs` times in one warm process; its cost is the
// time of the build and the memory it ADDS to the process tree (the server's own is there anyway).
const warm = await measure(process.execPath, ["--expose-gc", driver, path.join(out, "parts.json"), path.join(out, "ficha-warm.pdf"), "qpdf", String(runs)]);
const warmSamples = JSON.parse(warm.stdout);
for (const [name, list] of [["server: bare qpdf merge (added RSS)", warmSamples.qpdf], ["server: ficha (added RSS)", warmSamples.ficha]]) {
  rows.push({ name, ms: median(list.map((s) => s.ms)), rssMb: median(list.map((s) => s.addedKb / 1024)) });
}
const by = Object.fromEntries(rows.map((r) => [r.name, r]));
const ficha = JSON.parse(samples.ficha[0].stdout);
if (ficha.pages !== totalPages + 1) throw new Error(`ficha has ${ficha.pages} pages, expected ${totalPages + 1}`);

console.log(`Reference set: ${parts.length} PDFs, ${totalMb.toFixed(1)} MB, ${totalPages} pages (sanitised copies); median of ${runs}`);
console.log(`${process.version}, ${spawnSync("qpdf", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0]}`);
console.log("| build | wall (median) | peak RSS of the process tree (median) | time vs qpdf | RSS vs qpdf | time vs node+qpdf | RSS vs node+qpdf |");
console.log("|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(
    `| ${r.name} | ${(r.ms / 1000).toFixed(3)} s | ${r.rssMb.toFixed(0)} MiB | ${(r.ms / by.qpdf.ms).toFixed(2)} × | ${(r.rssMb / by.qpdf.rssMb).toFixed(2)} × | ${(r.ms / by["node+qpdf"].ms).toFixed(2)} × | ${(r.rssMb / by["node+qpdf"].rssMb).toFixed(2)} × |`,
  );
}
const verdict = (row, base) =>
  `time ${row.ms <= 2 * base.ms ? "met" : "NOT met"} (≤ 2 ×), peak RSS ${row.rssMb <= 3 * base.rssMb ? "met" : "NOT met"} (≤ 3 ×)`;
const server = rows[rows.length - 1];
const serverQpdf = rows[rows.length - 2];
console.log(`\nficha process vs node+qpdf process: ${verdict(by.ficha, by["node+qpdf"])}`);
console.log(`in a running server, ficha vs bare qpdf merge: ${verdict(server, serverQpdf)}`);
console.log(`ficha in a running server vs qpdf alone: ${verdict(server, by.qpdf)}`);
console.log(`ficha process vs qpdf alone: ${verdict(by.ficha, by.qpdf)}`);
writeFileSync(path.join(out, "result.json"), JSON.stringify({ when: new Date().toISOString(), rows, totalMb, totalPages }, null, 2));
if (existsSync(path.join(out, "ficha.pdf"))) rmSync(path.join(out, "ficha-pdflib.pdf"), { force: true });
