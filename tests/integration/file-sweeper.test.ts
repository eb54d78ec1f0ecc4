import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { referencedKeys, startFileSweeper, sweepOrphanFiles } from "~/platform/file-sweeper.server";
import { createPostulante } from "../support/accounts";
import { normalPdf } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, uploadDirect } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Leftovers of a crash (issue 11, item 5): an upload's temp file, and a file stored by a
 * process killed before it committed the row naming it. The sweeper removes both once old
 * enough, periodically, and never a file a row points to. Local storage.
 */
let s: TestServices;
const HOUR = 3600_000;
const filesDir = () => path.join(s.config.dataDir, "files");
const tmpDir = () => path.join(s.config.dataDir, "tmp");
const age = (file: string, ms: number) => utimesSync(file, new Date(Date.now() - ms), new Date(Date.now() - ms));

beforeAll(async () => {
  s = await createTestServices({ now: new Date() });
});
afterAll(async () => {
  await s?.close();
});

/**
 * A process that does what an upload does before its commit — a temp file in DATA_DIR/tmp,
 * the file stored under a new key — and is killed with SIGKILL at that point.
 */
async function killedBetweenStoringAndCommitting(): Promise<{ key: string; temp: string }> {
  const script = path.join(s.config.dataDir, "crash.mts");
  writeFileSync(
    script,
    `import { writeFileSync, mkdirSync } from "node:fs";
import { createLocalStorage, newStorageKey } from ${JSON.stringify(path.resolve("app/platform/storage.server.ts"))};
const tmp = ${JSON.stringify(tmpDir())};
mkdirSync(tmp, { recursive: true });
const temp = tmp + "/" + crypto.randomUUID() + ".upload";
writeFileSync(temp, "%PDF-1.7 partial upload");
writeFileSync(temp + ".copy", "%PDF-1.7 stored");
const key = newStorageKey("postulaciones/" + crypto.randomUUID() + "/documentos");
await createLocalStorage(${JSON.stringify(filesDir())}).putFile(key, temp + ".copy", { move: true });
console.log(JSON.stringify({ key, temp }));
setInterval(() => {}, 1000); // "committing"…
`,
  );
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d));
  while (!out.includes("\n")) {
    if (child.exitCode !== null) throw new Error("the crashing process ended by itself");
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await exited;
  return JSON.parse(out) as { key: string; temp: string };
}

it("removes, once old enough, the file stored by a process killed before its commit, and never a file a row points to", async () => {
  const p = await createPostulante(s);
  const c = await createConvocatoriaAbierta(s);
  await uploadDirect(s, p.id, c.id, "DNI", await normalPdf(1));
  const [doc] = await documentosDe(s.db);
  const crash = await killedBetweenStoringAndCommitting();
  expect(await s.storage.exists(crash.key)).toBe(true);
  const referenced = await referencedKeys(s.db);
  expect(referenced.has(doc!.originalKey)).toBe(true);
  expect(referenced.has(crash.key)).toBe(false);

  // Young: kept (its row may be about to be committed).
  expect(await sweepOrphanFiles({ db: s.db, storage: s.storage })).toEqual([]);
  expect(await s.storage.exists(crash.key)).toBe(true);

  // A day later, only the orphan goes; the document's files, as old, stay.
  const later = Date.now() + 25 * HOUR;
  expect(await sweepOrphanFiles({ db: s.db, storage: s.storage, now: later })).toEqual([crash.key]);
  expect(await s.storage.exists(crash.key)).toBe(false);
  expect(await s.storage.exists(doc!.originalKey)).toBe(true);
  expect(await s.storage.exists(doc!.sanitizedKey)).toBe(true);
  // The crashed upload's temp file is still there: the periodic sweeper's part (below).
  expect(existsSync(crash.temp)).toBe(true);
});

it("sweeps periodically while the server runs, not only at start: temp files and orphans that become old later", async () => {
  const logger = s.logger;
  const sweeper = startFileSweeper({ db: s.db, storage: s.storage, dataDir: s.config.dataDir, logger, intervalMs: 200, tempAgeMs: HOUR, orphanAgeMs: HOUR });
  try {
    await sweeper.idle();
    // Appearing after the first round, old: a crashed upload's temp file and a stored file without a row.
    const crash = await killedBetweenStoringAndCommitting();
    const young = path.join(tmpDir(), "joven.upload");
    writeFileSync(young, "in progress");
    // A local write cut off before its rename (storage.server.ts writes `<key>.<uuid>.part`).
    mkdirSync(path.join(filesDir(), "bases"), { recursive: true });
    const part = path.join(filesDir(), "bases", `${crypto.randomUUID()}.${crypto.randomUUID()}.part`);
    writeFileSync(part, "half");
    age(part, 2 * HOUR);
    age(crash.temp, 2 * HOUR);
    age(path.join(filesDir(), crash.key), 2 * HOUR);
    const referenced = [...(await referencedKeys(s.db))].filter((k) => existsSync(path.join(filesDir(), k)));
    expect(referenced.length).toBeGreaterThan(0);
    for (const key of referenced) age(path.join(filesDir(), key), 2 * HOUR);

    const deadline = Date.now() + 30_000;
    while ((existsSync(crash.temp) || existsSync(part) || (await s.storage.exists(crash.key))) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(crash.temp)).toBe(false);
    expect(existsSync(part)).toBe(false);
    expect(await s.storage.exists(crash.key)).toBe(false);
    expect(existsSync(young)).toBe(true);
    for (const key of referenced) expect(await s.storage.exists(key), key).toBe(true);
    expect(readdirSync(tmpDir())).toContain("joven.upload");
  } finally {
    sweeper.stop();
    await sweeper.idle();
  }
});
