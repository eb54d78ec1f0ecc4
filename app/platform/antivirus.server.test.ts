import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { EICAR, startClamd, type TestClamd } from "../../tests/support/clamd";
import { normalPdf } from "../../tests/support/pdfs";
import { AntivirusError, createAntivirus, parseScanReply } from "./antivirus.server";

let clamd: TestClamd;
let dir: string;
beforeAll(async () => {
  clamd = await startClamd();
  dir = mkdtempSync(path.join(tmpdir(), "cas-av-"));
}, 90_000);
afterAll(async () => {
  await clamd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const file = (name: string, data: Uint8Array | string) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};

test("clamd answers PING", async () => {
  expect(await createAntivirus(clamd.url).ping()).toBe(true);
});

test("the EICAR test file is found infected, with its signature's name", async () => {
  const result = await createAntivirus(clamd.url).scan(file("eicar.pdf", EICAR));
  expect(result).toMatchObject({ clean: false });
  expect(result.clean === false && result.signature).toMatch(/^Eicar-Test-Signature/);
});

test("a clean PDF, and a clean 6 MB file sent in many chunks, are clean", async () => {
  const antivirus = createAntivirus(clamd.url, { chunkBytes: 16 * 1024 });
  expect(await antivirus.scan(file("normal.pdf", await normalPdf()))).toEqual({ clean: true });
  expect(await antivirus.scan(file("big.bin", randomBytes(6 * 1024 * 1024)))).toEqual({ clean: true });
});

test("an empty file is clean (the PDF check refuses it, not the antivirus)", async () => {
  expect(await createAntivirus(clamd.url).scan(file("empty.pdf", ""))).toEqual({ clean: true });
});

test("several scans at once each get their own answer", async () => {
  const antivirus = createAntivirus(clamd.url);
  const infected = file("e2.pdf", EICAR);
  const clean = file("c2.pdf", await normalPdf(1));
  const results = await Promise.all([infected, clean, infected, clean, infected, clean].map((p) => antivirus.scan(p)));
  expect(results.map((r) => r.clean)).toEqual([false, true, false, true, false, true]);
});

test("clamd down is an error, never 'clean'", async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  const antivirus = createAntivirus(`tcp://127.0.0.1:${port}`);
  await expect(antivirus.scan(file("x.pdf", "x"))).rejects.toBeInstanceOf(AntivirusError);
  expect(await antivirus.ping()).toBe(false);
});

test("a clamd that never answers is an error after the timeout", async () => {
  let server: Server | undefined;
  try {
    server = createServer((socket) => socket.on("data", () => {}));
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", r));
    const { port } = server.address() as { port: number };
    const started = Date.now();
    const error = await createAntivirus(`tcp://127.0.0.1:${port}`, { timeoutMs: 300 }).scan(file("y.pdf", "y")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AntivirusError);
    expect((error as Error).message).toMatch(/did not answer/);
    expect(Date.now() - started).toBeLessThan(3000);
  } finally {
    server?.close();
  }
});

test("clamd's replies are read exactly; anything unexpected is an error", () => {
  expect(parseScanReply("stream: OK\0")).toEqual({ clean: true });
  expect(parseScanReply("stream: Win.Test.EICAR_HDB-1 FOUND\0")).toEqual({ clean: false, signature: "Win.Test.EICAR_HDB-1" });
  expect(() => parseScanReply("INSTREAM size limit exceeded. ERROR\0")).toThrow(AntivirusError);
  expect(() => parseScanReply("")).toThrow(AntivirusError);
});
