import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "~/db/client.server";
import { postulaciones } from "~/db/schema";
import { backupInstance, restoreInstance, verifyBackup } from "~/platform/backup.server";
import { loadConfig } from "~/platform/config.server";
import { createStorageFromConfig } from "~/platform/storage.server";
import { onPostgres } from "../support/db";
import { startTestApp } from "../support/http";
import { adminQuery, databaseUrl } from "../support/postgres-admin";
import { fetchBytes, signIn, uploadFichaDownloadJourney } from "../support/postulacion";
import { createTestServices, type TestServices } from "../support/services";
import { startSmtpServer } from "../support/smtp";

/**
 * The backup and restore drill (issue 16): an instance with a registered postulación is
 * backed up (database + every stored object with its SHA-256), restored into an empty
 * database and an empty storage, and the restored instance serves the same postulación and
 * byte-identical ficha and constancia. On PGlite by default; on PostgreSQL (pg_dump -Fc /
 * pg_restore) in the suite's PostgreSQL run.
 */
describe(`backup and restore (${onPostgres() ? "PostgreSQL" : "PGlite"})`, { timeout: 180_000 }, () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let original: TestServices;
  let restored: TestServices | undefined;
  const dirs: string[] = [];
  let emptyDbName: string | undefined;

  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

  beforeAll(async () => {
    smtp = await startSmtpServer();
    original = await createTestServices({ env: { SMTP_URL: smtp.url }, now: new Date() });
  });
  afterAll(async () => {
    await restored?.close();
    await original?.close();
    await smtp?.close();
    if (emptyDbName) await adminQuery(`drop database if exists ${emptyDbName} with (force)`);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** An empty database for the restore: a new PostgreSQL database, or a new DATA_DIR for PGlite. */
  async function emptyTarget(dataDir: string): Promise<Record<string, string>> {
    if (!onPostgres()) return { DATA_DIR: dataDir };
    emptyDbName = `cas_test_restore_${randomBytes(4).toString("hex")}`;
    await adminQuery(`create database ${emptyDbName}`);
    return { DATA_DIR: dataDir, DATABASE_URL: databaseUrl(emptyDbName) };
  }

  it("restores an instance that serves the same postulaciones and byte-identical fichas and constancias", async () => {
    const app = await startTestApp(original);
    let served: { ficha: string; constancia: string };
    let postulacion: typeof postulaciones.$inferSelect;
    try {
      ({ postulacion } = await uploadFichaDownloadJourney({
        services: original,
        app,
        smtp,
        readStored: async (key) => ((await original.storage.exists(key)) ? original.storage.getBuffer(key) : null),
      }));
      const client = await signIn(original, app.client(), { id: postulacion.postulanteId });
      served = {
        ficha: sha((await fetchBytes(client, `/postulacion/${postulacion.id}/ficha.pdf`)).bytes),
        constancia: sha((await fetchBytes(client, `/postulacion/${postulacion.id}/constancia.pdf`)).bytes),
      };
    } finally {
      await app.close();
    }

    const backupDir = tempDir("cas-backup-");
    const manifest = await backupInstance({
      database: original.database,
      databaseUrl: (original.database as { url?: string }).url,
      dataDir: original.config.dataDir,
      storage: original.storage,
      dir: backupDir,
    });
    // Every stored object is in the manifest with its SHA-256: originals, sanitised copies, ficha, constancia.
    const stored: string[] = [];
    for await (const { key } of original.storage.list()) stored.push(key);
    expect(manifest.objects.map((o) => o.key).sort()).toEqual(stored.sort());
    expect(stored.length).toBeGreaterThanOrEqual(5);
    await verifyBackup(backupDir);

    const env = await emptyTarget(tempDir("cas-restored-"));
    const config = loadConfig({ NODE_ENV: "test", SESSION_SECRET: original.config.sessionSecret, LOG_LEVEL: "silent", ...env });
    expect(await restoreInstance({ config, dir: backupDir })).toEqual({ objects: manifest.objects.length });
    if (!onPostgres()) {
      // The TOTP key generated into the embedded instance's DATA_DIR comes along: its staff can still sign in.
      expect(readFileSync(path.join(config.dataDir, "totp-key"), "utf8")).toBe(readFileSync(path.join(original.config.dataDir, "totp-key"), "utf8"));
    }

    // The restored instance: the same rows, the same bytes served.
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.databaseUrl ? undefined : config.dataDir });
    restored = await createTestServices({ database, env: { DATA_DIR: config.dataDir, SMTP_URL: smtp.url }, now: new Date() });
    const [row] = await restored.db.select().from(postulaciones).where(eq(postulaciones.id, postulacion.id));
    expect(row).toMatchObject({ estado: "registrada", numero: postulacion.numero, constanciaKey: postulacion.constanciaKey });
    const restoredApp = await startTestApp(restored);
    try {
      const client = await signIn(restored, restoredApp.client(), { id: postulacion.postulanteId });
      const ficha = await fetchBytes(client, `/postulacion/${postulacion.id}/ficha.pdf`);
      const constancia = await fetchBytes(client, `/postulacion/${postulacion.id}/constancia.pdf`);
      expect([ficha.status, constancia.status]).toEqual([200, 200]);
      expect(sha(ficha.bytes)).toBe(served.ficha);
      expect(sha(constancia.bytes)).toBe(served.constancia);
    } finally {
      await restoredApp.close();
    }
  });

  it("refuses to restore into a storage that is not empty, and a backup whose object was altered", async () => {
    const dataDir = tempDir("cas-nonempty-");
    const storage = await createStorageFromConfig({ dataDir, s3: undefined });
    await storage.put("ya/existe", Buffer.from("x"));
    const backupDir = tempDir("cas-backup-");
    const manifest = await backupInstance({
      database: original.database,
      databaseUrl: (original.database as { url?: string }).url,
      storage: original.storage,
      dir: backupDir,
    });
    const config = loadConfig({ NODE_ENV: "test", SESSION_SECRET: "s".repeat(40), LOG_LEVEL: "silent", DATA_DIR: dataDir });
    await expect(restoreInstance({ config, dir: backupDir })).rejects.toThrow(/storage is not empty/);

    const victim = manifest.objects[0]!;
    writeFileSync(path.join(backupDir, "objects", ...victim.key.split("/")), "altered");
    await expect(verifyBackup(backupDir)).rejects.toThrow(victim.key);
    expect(readdirSync(backupDir).filter((f) => f !== "secrets").sort()).toEqual(["manifest.json", "objects", manifest.database.file].sort());
  });
});
