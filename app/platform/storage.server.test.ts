import { randomBytes, createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { connect, createServer, type AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startS3, type TestS3 } from "../../tests/support/s3";
import { loadConfig } from "./config.server";
import { createS3Storage } from "./storage-s3.server";
import { createStorageFromConfig, downloadToFile, isNotFound, newStorageKey, type Storage } from "./storage.server";

/** The Storage contract, run against the local directory AND a real S3-compatible server. */
let s3: TestS3;
let dir: string;
beforeAll(async () => {
  s3 = await startS3();
  dir = mkdtempSync(path.join(tmpdir(), "cas-storage-"));
});
afterAll(async () => {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backends: Array<[string, () => Promise<Storage>]> = [
  ["local", () => createStorageFromConfig({ dataDir: path.join(dir, "local"), s3: undefined })],
  ["s3", () => createStorageFromConfig(loadConfig({ DATA_DIR: path.join(dir, "s3data"), SESSION_SECRET: "x".repeat(40), ...s3.env }))],
];
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

describe.each(backends)("Storage contract on %s", (kind, make) => {
  let storage: Storage;
  beforeAll(async () => {
    storage = await make();
  });

  test("the backend is the one configured", () => {
    expect(storage.kind).toBe(kind);
  });

  test("lists every stored object with its modification time (the file sweeper's view), and not a deleted one", async () => {
    const a = newStorageKey("postulaciones/lista");
    const b = newStorageKey("bases");
    const before = Date.now() - 60_000;
    await storage.put(a, randomBytes(10));
    await storage.put(b, randomBytes(10));
    await storage.delete(b);
    const listed = new Map<string, Date>();
    for await (const o of storage.list()) listed.set(o.key, o.modifiedAt);
    expect(listed.has(a)).toBe(true);
    expect(listed.has(b)).toBe(false);
    expect(listed.get(a)!.getTime()).toBeGreaterThan(before);
    expect(listed.get(a)!.getTime()).toBeLessThan(Date.now() + 60_000);
  });

  test("bytes, a stream and a file are stored intact with their size and SHA-256", async () => {
    const bytes = randomBytes(70_000);
    const a = newStorageKey("postulaciones/2026");
    expect(await storage.put(a, bytes)).toEqual({ key: a, size: bytes.length, sha256: sha(bytes) });
    expect((await storage.getBuffer(a)).equals(bytes)).toBe(true);

    const big = randomBytes(3 * 1024 * 1024);
    const b = newStorageKey("postulaciones/2026");
    expect(await storage.put(b, Readable.from([big.subarray(0, 1000), big.subarray(1000)]))).toEqual({ key: b, size: big.length, sha256: sha(big) });
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.get(b)) chunks.push(chunk as Buffer);
    expect(sha(Buffer.concat(chunks))).toBe(sha(big));

    const file = path.join(dir, `${kind}-upload.bin`);
    writeFileSync(file, big);
    const c = newStorageKey("postulaciones/2026");
    expect(await storage.putFile(c, file)).toEqual({ key: c, size: big.length, sha256: sha(big) });
    const copy = path.join(dir, `${kind}-download.bin`);
    await downloadToFile(storage, c, copy);
    expect(sha(readFileSync(copy))).toBe(sha(big));
  });

  test("putFile with move: the file's bytes under the key; the local directory renames the file into place (no copy)", async () => {
    const bytes = randomBytes(1024 * 1024);
    const file = path.join(dir, `${kind}-move.bin`);
    writeFileSync(file, bytes);
    const inode = statSync(file).ino;
    const key = newStorageKey("postulaciones/2026");
    expect(await storage.putFile(key, file, { move: true })).toEqual({ key, size: bytes.length, sha256: sha(bytes) });
    expect(sha(await storage.getBuffer(key))).toBe(sha(bytes));
    if (kind === "local") {
      expect(existsSync(file)).toBe(false);
      expect(statSync(path.join(dir, "local", "files", key)).ino).toBe(inode);
    } else {
      expect(existsSync(file)).toBe(true); // streamed; the caller deletes its temp file
    }
    // The hash computed while the file was written (an upload's) is the object's.
    writeFileSync(file, bytes);
    const known = newStorageKey("postulaciones/2026");
    expect(await storage.putFile(known, file, { move: true, sha256: sha(bytes) })).toEqual({ key: known, size: bytes.length, sha256: sha(bytes) });
    rmSync(file, { force: true });
  });

  test("exists and delete; a missing key is 'not found' for get and getBuffer", async () => {
    const key = newStorageKey("tmp");
    expect(await storage.exists(key)).toBe(false);
    await storage.put(key, Buffer.from("x"));
    expect(await storage.exists(key)).toBe(true);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
    await storage.delete(key); // idempotent
    expect(isNotFound(await storage.get(key).catch((e: unknown) => e))).toBe(true);
    expect(isNotFound(await storage.getBuffer(key).catch((e: unknown) => e))).toBe(true);
  });

  test("keys that could escape or look like paths are refused", async () => {
    for (const key of ["../x", "a/../../b", "/abs", "a//b", "a b", "a/"]) {
      await expect(storage.put(key, Buffer.from("x"))).rejects.toThrow(/invalid storage key/);
    }
  });
});

test("a Readable given to S3 put is spooled under tmpDir and the spool removed", async () => {
  const tmp = path.join(dir, "spool");
  const storage = createS3Storage(loadConfig({ DATA_DIR: dir, SESSION_SECRET: "x".repeat(40), ...s3.env }).s3!, { tmpDir: tmp });
  await storage.put(newStorageKey("x"), Readable.from([Buffer.from("hola")]));
  expect(readdirSync(tmp)).toEqual([]);
});

test("a streamed S3 upload whose connection is reset is sent again from the file's start, whole", async () => {
  // A proxy in front of s3rver that resets the first connection once the body starts to arrive.
  const target = new URL(s3.endpoint);
  let connections = 0;
  const proxy = createServer((socket) => {
    if (++connections === 1) {
      socket.once("data", () => socket.resetAndDestroy());
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    socket.pipe(upstream).pipe(socket);
    upstream.on("error", () => socket.destroy());
    socket.on("error", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  try {
    const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const storage = createS3Storage(loadConfig({ DATA_DIR: dir, SESSION_SECRET: "x".repeat(40), ...s3.env, S3_ENDPOINT: endpoint }).s3!, {
      tmpDir: path.join(dir, "spool"),
    });
    const file = path.join(dir, "reset-upload.bin");
    const bytes = randomBytes(512 * 1024);
    writeFileSync(file, bytes);
    const key = newStorageKey("reset");
    const stored = await storage.putFile(key, file);
    expect(connections).toBeGreaterThan(1);
    expect(stored.size).toBe(bytes.length);
    expect(stored.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
    expect((await storage.getBuffer(key)).equals(bytes)).toBe(true);
  } finally {
    await new Promise<void>((resolve) => proxy.close(() => resolve()));
  }
});

describe("S3 and clamd configuration", () => {
  const base = { SESSION_SECRET: "x".repeat(40), DATA_DIR: "/tmp/cas-config-test" };
  test("S3 is off unless configured, and on with its four variables, path-style and us-east-1 by default", () => {
    expect(loadConfig(base).s3).toBeUndefined();
    expect(
      loadConfig({ ...base, S3_ENDPOINT: "http://127.0.0.1:9000", S3_BUCKET: "cas-files", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" }).s3,
    ).toEqual({ endpoint: "http://127.0.0.1:9000", bucket: "cas-files", region: "us-east-1", accessKeyId: "k", secretAccessKey: "s", forcePathStyle: true });
  });
  test("a partial S3 configuration stops the start with the missing variable's name", () => {
    expect(() => loadConfig({ ...base, S3_ENDPOINT: "http://127.0.0.1:9000", S3_BUCKET: "cas-files" })).toThrow(/S3_ACCESS_KEY_ID/);
    expect(() => loadConfig({ ...base, S3_ENDPOINT: "ftp://x", S3_BUCKET: "b", S3_ACCESS_KEY_ID: "k", S3_SECRET_ACCESS_KEY: "s" })).toThrow(/S3_ENDPOINT/);
  });
  test("CLAMD_URL must be tcp://host:port", () => {
    expect(loadConfig({ ...base, CLAMD_URL: "tcp://127.0.0.1:3310" }).clamdUrl).toBe("tcp://127.0.0.1:3310");
    expect(loadConfig(base).clamdUrl).toBeUndefined();
    expect(() => loadConfig({ ...base, CLAMD_URL: "127.0.0.1:3310" })).toThrow(/CLAMD_URL/);
  });
});
