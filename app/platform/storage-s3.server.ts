import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { setTimeout } from "node:timers/promises";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import {
  checkKey,
  hashingStream,
  StorageNotFoundError,
  type Storage,
  type StoredObject,
} from "./storage.server";

/**
 * The Storage port over S3-compatible object storage (MinIO, Ceph, AWS S3, s3rver in the
 * tests), so that several app servers share the files. Switched on by S3_ENDPOINT,
 * S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY (config.server.ts).
 *
 *   const storage = createS3Storage(config.s3, { tmpDir: path.join(config.dataDir, "tmp") });
 *
 * Uploads: one PutObject with a known Content-Length, streamed from a local file and
 * hashed on the way (putFile). Uploads arrive as temp files already (upload.server.ts),
 * so @aws-sdk/lib-storage's multipart upload (not installed) is not needed; a Readable of
 * unknown length given to put() is first spooled to a temp file under `tmpDir`. Objects
 * are limited by PutObject to 5 GB, far above any upload here. PutObject is atomic: the
 * object appears only complete. Checksums are sent only when an operation requires
 * them: S3-compatible servers differ in their support of the SDK's newer default.
 */
export type S3Config = {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
};

const PUT_ATTEMPTS = 3;
const PUT_BACKOFF_MS = 200;

/** A reset connection, a timeout or a 5xx answer may pass on the next try; a 4xx will not. */
function isTransient(error: unknown): boolean {
  if (error instanceof S3ServiceException) return (error.$metadata.httpStatusCode ?? 500) >= 500 || error.$retryable !== undefined;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(ECONNRESET|EPIPE|ETIMEDOUT|ECONNREFUSED|EAI_AGAIN|UND_ERR_SOCKET)$/.test(code);
}

export function createS3Client(config: S3Config, options: { maxAttempts?: number } = {}): S3Client {
  return new S3Client({
    maxAttempts: options.maxAttempts,
    endpoint: config.endpoint,
    region: config.region,
    forcePathStyle: config.forcePathStyle,
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
}

function notFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === "NoSuchKey" || error.name === "NotFound" || error.$metadata.httpStatusCode === 404)
  );
}

export function createS3Storage(config: S3Config, options: { tmpDir: string; client?: S3Client }): Storage & { client: S3Client } {
  const client = options.client ?? createS3Client(config);
  const Bucket = config.bucket;

  // The SDK retries a failed request with the same body, but a stream it has read is spent:
  // a streamed PutObject is sent by a client that does not retry, and putFile retries it
  // with the file read again from the start.
  const streamingClient = options.client ?? createS3Client(config, { maxAttempts: 1 });
  const putFile = async (key: string, filePath: string): Promise<StoredObject> => {
    checkKey(key);
    const { size } = await stat(filePath);
    for (let attempt = 1; ; attempt++) {
      const hashing = hashingStream();
      const body = createReadStream(filePath).pipe(hashing.stream);
      try {
        await streamingClient.send(
          new PutObjectCommand({ Bucket, Key: key, Body: body, ContentLength: size, ContentType: "application/octet-stream" }),
        );
      } catch (error) {
        body.destroy();
        if (attempt >= PUT_ATTEMPTS || !isTransient(error)) throw error;
        await setTimeout(PUT_BACKOFF_MS * 4 ** (attempt - 1));
        continue;
      }
      const result = hashing.result();
      if (result.size !== size) throw new Error(`stored ${result.size} bytes of ${size} at ${key}`);
      return { key, ...result };
    }
  };

  return {
    kind: "s3",
    client,
    putFile,
    async put(key, body) {
      checkKey(key);
      if (body instanceof Uint8Array) {
        const hashing = hashingStream();
        hashing.stream.end(body);
        await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentLength: body.byteLength }));
        return { key, ...hashing.result() };
      }
      await mkdir(options.tmpDir, { recursive: true });
      const spool = path.join(options.tmpDir, `${randomUUID()}.s3-spool`);
      try {
        await pipeline(body, createWriteStream(spool));
        return await putFile(key, spool);
      } finally {
        await rm(spool, { force: true });
      }
    },
    async get(key) {
      checkKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return response.Body as Readable;
      } catch (error) {
        if (notFound(error)) throw new StorageNotFoundError(key);
        throw error;
      }
    },
    async getBuffer(key) {
      checkKey(key);
      try {
        const response = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        return Buffer.from(await response.Body!.transformToByteArray());
      } catch (error) {
        if (notFound(error)) throw new StorageNotFoundError(key);
        throw error;
      }
    },
    async exists(key) {
      checkKey(key);
      try {
        await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return true;
      } catch (error) {
        if (notFound(error)) return false;
        throw error;
      }
    },
    async delete(key) {
      checkKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
    async *list() {
      let ContinuationToken: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket, ContinuationToken }));
        for (const object of page.Contents ?? []) {
          if (object.Key && object.LastModified) yield { key: object.Key, modifiedAt: object.LastModified };
        }
        ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (ContinuationToken);
    },
  };
}
