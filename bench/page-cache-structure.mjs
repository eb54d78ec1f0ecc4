// The public page cache's own work, without the HTTP around it (issue 18): the lookup the
// middleware does per request, as server/public-page-cache.ts did it before lru-cache (a Map
// of entries with its freshness check and a second Map of renderings in flight, FIFO out past
// 500) and as it does it now (lru-cache 11: get, then fetch() with forceRefresh when missing
// or stale). The "rendering" is a resolved promise of a 60 KB page, so only the cache's cost
// is timed. In one process, the two alternated round by round (order flipped each round):
//   hot:  every lookup the same URL (the list on a deadline day);
//   many: 300 URLs in turn, the clock moved 1 s every 1,000 lookups (max-age 5 s: renders).
// Prints ns per lookup for each and the median of the per-round ratios (lru-cache / Map).
//
//   node bench/page-cache-structure.mjs [--rounds 7] [--lookups 300000]
import { LRUCache } from "lru-cache";
import { median } from "./lib.mjs";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? dflt : Number(process.argv[i + 1]);
};
const rounds = arg("rounds", 7);
const lookups = arg("lookups", 300_000);
const MAX_AGE = 5_000;
const body = "x".repeat(60_000);
let now = 0;
const render = async () => ({ body, etag: '"e"', expiresAt: now + MAX_AGE, expiresAtReal: Date.now() + MAX_AGE });
const isStale = (e) => e.expiresAt <= now || e.expiresAt - now > MAX_AGE || e.expiresAtReal <= Date.now();

function mapCache() {
  const entries = new Map();
  const inflight = new Map();
  return async (key) => {
    let entry = entries.get(key);
    if (!entry || isStale(entry)) {
      entries.delete(key);
      let pending = inflight.get(key);
      if (!pending) {
        pending = render().finally(() => inflight.delete(key));
        inflight.set(key, pending);
      }
      entry = await pending;
      entries.set(key, entry);
      if (entries.size > 500) entries.delete(entries.keys().next().value);
    }
    return entry;
  };
}

function lruCache() {
  const entries = new LRUCache({
    max: 500,
    maxSize: 32 * 1024 * 1024,
    sizeCalculation: (e) => e.body.length + 1,
    fetchMethod: () => render(),
  });
  return async (key) => {
    let entry = entries.get(key);
    if (!entry || isStale(entry)) entry = await entries.fetch(key, { forceRefresh: true });
    return entry;
  };
}

const HOT = ["/convocatorias?q=analista&estado=en_postulacion"];
const MANY = Array.from({ length: 300 }, (_, i) => `/convocatorias?q=w${i % 10}&page=${1 + Math.floor(i / 10)}`);

async function time(make, keys, moveClock) {
  const lookup = make();
  now = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < lookups; i++) {
    if (moveClock && i % 1000 === 0) now += 1000;
    await lookup(keys[i % keys.length]);
  }
  return Number(process.hrtime.bigint() - t0) / lookups;
}

const results = { hot: [], many: [] };
for (let round = 0; round < rounds + 1; round++) {
  for (const [name, keys, moveClock] of [["hot", HOT, false], ["many", MANY, true]]) {
    const order = round % 2 === 0 ? ["map", "lru"] : ["lru", "map"];
    const ns = {};
    for (const kind of order) ns[kind] = await time(kind === "map" ? mapCache : lruCache, keys, moveClock);
    // Round 0 warms the JIT up: reported, not counted.
    if (round > 0) results[name].push({ ...ns, ratio: ns.lru / ns.map });
    console.log(`round ${round}${round === 0 ? " (warm-up)" : ""} ${name}: Map ${ns.map.toFixed(0)} ns, lru-cache ${ns.lru.toFixed(0)} ns per lookup`);
  }
}
for (const [name, rows] of Object.entries(results)) {
  console.log(
    `${name}: Map ${median(rows.map((r) => r.map)).toFixed(0)} ns, lru-cache ${median(rows.map((r) => r.lru)).toFixed(0)} ns per lookup (medians); ` +
      `ratio lru-cache / Map, median of rounds: ${median(rows.map((r) => r.ratio)).toFixed(3)}`,
  );
}
