// An S3-compatible object store on loopback for scripts/cluster.sh (s3rver, a dev dependency):
// S3_PORT, S3_DIR and S3_BUCKET from the environment. A deployment uses a real one (MinIO, Ceph, AWS).
import { mkdirSync } from "node:fs";
import S3rver from "s3rver";

const directory = process.env.S3_DIR;
mkdirSync(directory, { recursive: true });
const server = new S3rver({
  address: "127.0.0.1",
  port: Number(process.env.S3_PORT),
  directory,
  silent: true,
  configureBuckets: [{ name: process.env.S3_BUCKET, configs: [] }],
});
await server.run();
console.log(`s3rver on 127.0.0.1:${process.env.S3_PORT}, bucket ${process.env.S3_BUCKET}`);
const stop = () => server.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
