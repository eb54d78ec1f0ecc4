import { readdirSync } from "node:fs";
import path from "node:path";
import { GetObjectCommand, ListObjectsV2Command, NoSuchKey } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createS3Client } from "~/platform/storage-s3.server";
import { startTestApp } from "../support/http";
import { uploadFichaDownloadJourney } from "../support/postulacion";
import { startS3, type TestS3 } from "../support/s3";
import { createTestServices, type TestServices } from "../support/services";
import { startSmtpServer } from "../support/smtp";

/**
 * The upload → "Ver" → ficha → finalization journey of postulacion.test.ts, with the files
 * in S3-compatible object storage: a real s3rver on loopback, chosen by the S3_* variables
 * as in production (issue 4, "Storage").
 */
describe("Postulación over HTTP with S3-compatible storage (s3rver)", { timeout: 120_000 }, () => {
  let s3: TestS3;
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let bucket: ReturnType<typeof createS3Client>;

  beforeAll(async () => {
    s3 = await startS3();
    smtp = await startSmtpServer();
    s = await createTestServices({ env: { SMTP_URL: smtp.url, ...s3.env } });
    app = await startTestApp(s);
    // A client of our own, straight to the bucket: what is there does not depend on the app's reading.
    bucket = createS3Client(s.config.s3!);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await s?.close();
    await smtp?.close();
    bucket?.destroy();
    await s3?.stop();
  });

  const readStored = async (key: string) => {
    try {
      const object = await bucket.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey) return null;
      throw error;
    }
  };

  it("is configured for S3 by the S3_* variables", () => {
    expect(s.storage.kind).toBe("s3");
    expect(s.config.s3).toMatchObject({ endpoint: s3.endpoint, bucket: s3.bucket, forcePathStyle: true });
  });

  it("keeps originals, the ficha and the constancia in the bucket and serves them back intact", async () => {
    const { postulacion, documentos } = await uploadFichaDownloadJourney({ services: s, app, smtp, readStored });
    // Every object of the postulación (its ficha and constancia) and of its applicant's Mis documentos (the
    // files it uses) is in the bucket under its server-generated key, and nothing else is.
    const prefixes = [`postulaciones/${postulacion.id}/`, `postulantes/${postulacion.postulanteId}/`];
    const listed = await Promise.all(prefixes.map((Prefix) => bucket.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix }))));
    const keys = listed.flatMap((l) => l.Contents ?? []).map((o) => o.Key).sort();
    const expected = [
      // A clean upload is its own sanitised copy: one object.
      ...new Set(documentos.flatMap((d) => [d.originalKey, d.sanitizedKey])),
      postulacion.fichaKey!,
      postulacion.constanciaKey!,
    ].sort();
    expect(keys).toEqual(expected);
    for (const d of documentos) expect(keys.join("\n")).not.toContain(d.filename);
    // Nothing was written to the local storage directory.
    let local: string[] = [];
    try {
      local = readdirSync(path.join(s.config.dataDir, "files"), { recursive: true }).map(String);
    } catch {
      local = [];
    }
    expect(local).toEqual([]);
  }, 120_000);
});
