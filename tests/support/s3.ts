import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// s3rver ships no types: the little used here.
type S3rverServer = { run(): Promise<AddressInfo>; close(): Promise<void> };
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  configureBuckets: Array<{ name: string; configs: unknown[] }>;
}) => S3rverServer;

/**
 * A real S3-compatible server (s3rver) on loopback, on a free port, over a temp
 * directory, with one bucket. `env` is what createTestServices({ env }) needs to use it.
 *
 *   const s3 = await startS3();  …  createTestServices({ env: s3.env })  …  await s3.stop();
 */
export type TestS3 = {
  endpoint: string;
  bucket: string;
  env: Record<string, string>;
  stop(): Promise<void>;
};

export async function startS3(bucket = "cas-test"): Promise<TestS3> {
  const directory = mkdtempSync(path.join(tmpdir(), "cas-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  return {
    endpoint,
    bucket,
    env: {
      S3_ENDPOINT: endpoint,
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "1",
    },
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
