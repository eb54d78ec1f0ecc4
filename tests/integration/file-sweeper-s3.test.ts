import { afterAll, beforeAll, expect, it } from "vitest";
import { sweepOrphanFiles } from "~/platform/file-sweeper.server";
import { newStorageKey } from "~/platform/storage.server";
import { createPostulante } from "../support/accounts";
import { normalPdf } from "../support/pdfs";
import { documentosDe, createConvocatoriaAbierta, uploadDirect } from "../support/postulacion";
import { startS3, type TestS3 } from "../support/s3";
import { createTestServices, type TestServices } from "../support/services";

/** The orphan sweep over S3-compatible storage (a real s3rver on loopback): same rule as local. */
let s3: TestS3;
let s: TestServices;
beforeAll(async () => {
  s3 = await startS3();
  s = await createTestServices({ env: s3.env, now: new Date() });
});
afterAll(async () => {
  await s?.close();
  await s3?.stop();
});

it("removes an old object no row points to, keeps young ones and every object a row points to", async () => {
  expect(s.storage.kind).toBe("s3");
  const p = await createPostulante(s);
  const c = await createConvocatoriaAbierta(s);
  await uploadDirect(s, p.id, c.id, "DNI", await normalPdf(1));
  const [doc] = await documentosDe(s.db);
  // What a process killed between storing and committing leaves behind.
  const orphan = newStorageKey(`postulaciones/${crypto.randomUUID()}/documentos`);
  await s.storage.put(orphan, Buffer.from("%PDF-1.7 stored, never committed"));

  expect(await sweepOrphanFiles({ db: s.db, storage: s.storage })).toEqual([]);
  expect(await sweepOrphanFiles({ db: s.db, storage: s.storage, now: Date.now() + 25 * 3600_000 })).toEqual([orphan]);
  expect(await s.storage.exists(orphan)).toBe(false);
  expect(await s.storage.exists(doc!.originalKey)).toBe(true);
  expect(await s.storage.exists(doc!.sanitizedKey)).toBe(true);
});
