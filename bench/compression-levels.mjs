// Which compression level for dynamic pages (issue 15): the app's own pages, each compressed
// with every gzip level and Brotli quality, one after another in this process: CPU time per
// page (process.cpuUsage, so a busy machine changes it less than wall time) and the bytes sent.
// The level worth having costs little CPU against a page's rendering (bench/crowd.mjs) and
// saves most of the bytes a slow phone waits for.
//   node bench/compression-levels.mjs <app-base-url> [--runs 200]
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { arg } from "./lib.mjs";

const base = process.argv[2];
if (!base?.startsWith("http")) {
  console.error("usage: node bench/compression-levels.mjs <app-base-url> [--runs 200]");
  process.exit(2);
}
const runs = Number(arg("runs", 200));
const list = await (await fetch(`${base}/convocatorias`)).text();
const detail = list.match(/href="(\/convocatorias\/[0-9a-f-]{36})"/)?.[1];
const pages = {
  "/privacidad": await (await fetch(`${base}/privacidad`)).text(),
  "/convocatorias": list,
  "/convocatorias?q=analista": await (await fetch(`${base}/convocatorias?q=analista`)).text(),
  ...(detail ? { [detail.replace(/[0-9a-f-]{36}/, ":id")]: await (await fetch(base + detail)).text() } : {}),
};
const bytes = Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, Buffer.from(v)]));

const settings = [
  ...[1, 2, 4, 6, 9].map((level) => ({ name: `gzip ${level}`, run: (b) => gzipSync(b, { level }) })),
  ...[1, 2, 3, 4, 5, 6, 11].map((q) => ({
    name: `br ${q}`,
    run: (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: q, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
  })),
];
const rows = [];
for (const s of settings) {
  for (const [page, b] of Object.entries(bytes)) {
    for (let i = 0; i < 20; i++) s.run(b); // warm-up
    const t = process.cpuUsage();
    let size = 0;
    for (let i = 0; i < runs; i++) size = s.run(b).length;
    const cpu = process.cpuUsage(t);
    rows.push({ setting: s.name, page, "KiB raw": (b.length / 1024).toFixed(1), "KiB sent": (size / 1024).toFixed(1), "µs CPU": Math.round((cpu.user + cpu.system) / runs) });
  }
}
console.table(rows);
