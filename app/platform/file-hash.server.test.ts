import { createHash, randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { hashWhileWriting } from "./file-hash.server";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cas-hash-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

test("hashes files as they are written, part by part, many at once", async () => {
  const files = Array.from({ length: 12 }, (_, i) => ({
    file: path.join(dir, `f${i}`),
    // Sizes around the worker's 1 MiB read buffer, and an empty file.
    parts: Array.from({ length: i % 4 }, (_, j) => randomBytes(((i * 7 + j * 13) % 5) * 512 * 1024 + j * 1000 + 1)),
  }));
  const hashes = files.map(({ file }) => {
    writeFileSync(file, "");
    return hashWhileWriting(file);
  });
  // Interleaved, as concurrent uploads write.
  for (let round = 0; round < 4; round++) {
    for (const [i, { file, parts }] of files.entries()) {
      if (round >= parts.length) continue;
      appendFileSync(file, parts[round]!);
      hashes[i]!.written(parts.slice(0, round + 1).reduce((n, p) => n + p.length, 0));
    }
  }
  const digests = await Promise.all(hashes.map((h, i) => h.digest(files[i]!.parts.reduce((n, p) => n + p.length, 0))));
  expect(digests).toEqual(files.map(({ parts }) => sha256(Buffer.concat(parts))));
  expect(digests[0]).toBe(sha256(new Uint8Array()));
});

test("a file shorter than reported, or missing, rejects its digest and no other", async () => {
  const short = path.join(dir, "short");
  writeFileSync(short, randomBytes(1000));
  const good = path.join(dir, "good");
  const bytes = randomBytes(3 * 1024 * 1024);
  writeFileSync(good, bytes);
  const shortHash = hashWhileWriting(short);
  const missingHash = hashWhileWriting(path.join(dir, "missing"));
  const goodHash = hashWhileWriting(good);
  shortHash.written(2000);
  missingHash.written(10);
  goodHash.written(bytes.length);
  await expect(shortHash.digest(2000)).rejects.toThrow(/hashing failed: .*ends at 1000 bytes/);
  await expect(missingHash.digest(10)).rejects.toThrow(/hashing failed: .*ENOENT/);
  await expect(goodHash.digest(bytes.length)).resolves.toBe(sha256(bytes));
});

test("an aborted file is forgotten: the worker goes on with the others", async () => {
  const a = path.join(dir, "a");
  const b = path.join(dir, "b");
  writeFileSync(a, randomBytes(100));
  writeFileSync(b, Buffer.from("cas"));
  const aborted = hashWhileWriting(a);
  aborted.written(50);
  aborted.abort();
  aborted.abort();
  rmSync(a);
  const other = hashWhileWriting(b);
  other.written(3);
  expect(await other.digest(3)).toBe(sha256(Buffer.from("cas")));
});
