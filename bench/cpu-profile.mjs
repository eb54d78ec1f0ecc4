// Where a request's CPU goes: summarises a V8 .cpuprofile (node --cpu-prof) by package or app
// module (self time) and by the Express middleware each sample ran under (inclusive time).
//   node bench/cpu-profile.mjs <file.cpuprofile> [--top 25]
// BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" node bench/crowd.mjs --only <page> writes one for a page (bench/README.md).
import { readFileSync } from "node:fs";
import { arg } from "./lib.mjs";

const file = process.argv[2];
const top = Number(arg("top", 25));
const profile = JSON.parse(readFileSync(file, "utf8"));
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

// Time per sample (µs): timeDeltas[i] is the time since the previous sample.
const selfUs = new Map();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

/** A frame's owner: the npm package, the app's source module (from the bundle's file), node internals or V8. */
function owner(frame) {
  const url = frame.url ?? "";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) return pkg[1];
  if (url.includes("/build/server/")) return "app bundle";
  if (url.startsWith("node:")) return url;
  if (!url) return `(${frame.functionName || "program"})`;
  return url.replace(/^.*\//, "");
}

const byOwner = new Map();
const byFunction = new Map();
for (const [id, us] of selfUs) {
  const f = nodes.get(id).callFrame;
  const o = owner(f);
  byOwner.set(o, (byOwner.get(o) ?? 0) + us);
  const key = `${f.functionName || "(anonymous)"} ${o}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

// Inclusive time under named functions (the app's middleware and the React Router phases).
const MARKS = [
  "setUpRequestId", "helmet", "contentSecurityPolicy", "edgeGuard", "compression", "serveStatic", "send",
  "csrfCookie", "crossSiteRefusal", "publicPageCache", "handleDocumentRequest", "renderToPipeableStream",
  "loader", "callRouteHandler", "getPrincipal", "entityCurrent", "logger",
];
const under = new Map();
for (const [id, us] of selfUs) {
  const seen = new Set();
  for (let n = id; n !== undefined; n = parent.get(n)) {
    const name = nodes.get(n).callFrame.functionName;
    if (MARKS.includes(name) && !seen.has(name)) {
      seen.add(name);
      under.set(name, (under.get(name) ?? 0) + us);
    }
  }
}

const rows = (m) =>
  [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, us]) => ({ name, ms: Math.round(us / 1000), "%": ((us / total) * 100).toFixed(1) }));
console.log(`${file}: ${Math.round(total / 1000)} ms sampled`);
console.log("self time by package or module");
console.table(rows(byOwner));
console.log("self time by function");
console.table(rows(byFunction));
console.log("inclusive time under");
console.table(rows(under));
