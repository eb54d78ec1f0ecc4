import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * Configuration: read once at start from the environment and validated.
 * A bad value stops the process with a message naming the variable
 * (see README "Configuration"); nothing else in the app reads process.env.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must start with postgres:// or postgresql://")
    .optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, "must start with smtp:// or smtps://")
    .optional(),
  MAIL_FROM: z.string().min(3).default("CAS Online <no-responder@cas.localhost>"),
  SESSION_SECRET: z.string().min(32, "must have at least 32 characters").optional(),
  // 32 bytes: 64 hex digits or 43–44 characters of base64.
  TOTP_ENCRYPTION_KEY: z
    .string()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, "must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)")
    .optional(),
  ADMIN_EMAIL: z.email().optional(),
  ADMIN_PASSWORD: z.string().min(12, "must have at least 12 characters").optional(),
  DEMO_DATA: z.enum(["0", "1", ""]).default("0"),
  ENTITY_NAME: z.string().min(2).max(200).default("Superintendencia Nacional de Migraciones"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ARGON2_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  // libuv's own variable (the size of the thread pool argon2 runs on): ARGON2_CONCURRENCY's default.
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).optional(),
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  PUBLIC_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(5),
  SHUTDOWN_TIMEOUT: z.coerce.number().int().min(0).max(3600).default(30),
  METRICS_TOKEN: z.string().min(16, "must have at least 16 characters").optional(),
  // S3-compatible storage (storage-s3.server.ts): on when S3_ENDPOINT is set.
  S3_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid bucket name").optional(),
  S3_REGION: z.string().min(1).default("us-east-1"),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_FORCE_PATH_STYLE: z.enum(["0", "1"]).default("1"),
  // Ley 29733 (docs/mis-documentos.md): a file of Mis documentos no postulación uses and nobody
  // touched for this many days gets an e-mail notice, and is deleted ARCHIVOS_AVISO_DIAS later.
  ARCHIVOS_RETENCION_DIAS: z.coerce.number().int().min(30).max(3650).default(365),
  ARCHIVOS_AVISO_DIAS: z.coerce.number().int().min(7).max(365).default(30),
  // clamd (antivirus.server.ts): every upload scanned when set.
  CLAMD_URL: z
    .string()
    .regex(/^tcp:\/\/[^/:]+:\d{1,5}\/?$/, "must look like tcp://host:port")
    .optional(),
});

export type Config = {
  env: "development" | "production" | "test";
  port: number;
  host: string;
  baseUrl: string;
  /** Cookies get Secure and the __Host- prefix when the site is served over https. */
  secureCookies: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  smtpUrl: string | undefined;
  mailFrom: string;
  sessionSecret: string;
  /** AES-256-GCM key of the TOTP secrets at rest (secret-box.server.ts). */
  totpKey: Buffer;
  admin: { email: string; password: string } | undefined;
  demoData: boolean;
  /** Mis documentos' retention (Ley 29733): days unused before the notice, and from the notice to the deletion. */
  archivosRetencionDias: number;
  archivosAvisoDias: number;
  entityName: string;
  logLevel: string;
  argon2Concurrency: number | undefined;
  trustProxy: boolean;
  /** How long this process keeps an anonymous visitor's public page (server/public-page-cache.ts); 0: never. */
  publicCacheSeconds: number;
  /** Seconds a stopping process (SIGTERM) waits for the requests in flight (server/shutdown.ts). */
  shutdownTimeoutSeconds: number;
  /** A bearer token that lets a scraper off this machine read /metrics; undefined: loopback only. */
  metricsToken: string | undefined;
  /** S3-compatible storage; undefined: files under DATA_DIR/files. */
  s3:
    | {
        endpoint: string;
        bucket: string;
        region: string;
        accessKeyId: string;
        secretAccessKey: string;
        forcePathStyle: boolean;
      }
    | undefined;
  /** clamd's address (tcp://host:port); undefined: uploads are not scanned. */
  clamdUrl: string | undefined;
};

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset": deployers often template `VAR=` lines.
  const raw = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ""));
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  if ((e.ADMIN_EMAIL === undefined) !== (e.ADMIN_PASSWORD === undefined)) {
    throw new ConfigError("Invalid configuration:\n  ADMIN_PASSWORD: ADMIN_EMAIL and ADMIN_PASSWORD are set together");
  }
  if (e.NODE_ENV === "production" && !e.SESSION_SECRET && e.DATABASE_URL) {
    // Several servers behind a balancer must share the secret: generating one per
    // machine would silently break CSRF tokens across them.
    throw new ConfigError("Invalid configuration:\n  SESSION_SECRET: required in production with DATABASE_URL");
  }
  if (e.NODE_ENV === "production" && !e.TOTP_ENCRYPTION_KEY && e.DEMO_DATA !== "1") {
    // A key generated beside the data would sit in the same backups as the secrets it seals.
    // The demo (`npm run demo`: production build, made-up data) generates one like development.
    throw new ConfigError("Invalid configuration:\n  TOTP_ENCRYPTION_KEY: required in production (openssl rand -hex 32)");
  }
  const s3Vars = { S3_ENDPOINT: e.S3_ENDPOINT, S3_BUCKET: e.S3_BUCKET, S3_ACCESS_KEY_ID: e.S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: e.S3_SECRET_ACCESS_KEY };
  const s3Missing = Object.entries(s3Vars).filter(([, v]) => v === undefined).map(([k]) => k);
  if (s3Missing.length > 0 && s3Missing.length < 4) {
    throw new ConfigError(
      `Invalid configuration:\n${s3Missing.map((k) => `  ${k}: required with the other S3_* variables`).join("\n")}`,
    );
  }
  const dataDir = path.resolve(e.DATA_DIR);
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, "");
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    secureCookies: baseUrl.startsWith("https://"),
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databasePoolSize: e.DATABASE_POOL_SIZE,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    sessionSecret: e.SESSION_SECRET ?? persistedSecret(dataDir, "session-secret"),
    totpKey: e.TOTP_ENCRYPTION_KEY ? decodeKey(e.TOTP_ENCRYPTION_KEY) : Buffer.from(persistedSecret(dataDir, "totp-key"), "hex"),
    admin: e.ADMIN_EMAIL && e.ADMIN_PASSWORD ? { email: e.ADMIN_EMAIL.toLowerCase(), password: e.ADMIN_PASSWORD } : undefined,
    demoData: e.DEMO_DATA === "1",
    archivosRetencionDias: e.ARCHIVOS_RETENCION_DIAS,
    archivosAvisoDias: e.ARCHIVOS_AVISO_DIAS,
    entityName: e.ENTITY_NAME,
    logLevel: e.LOG_LEVEL,
    argon2Concurrency: e.ARGON2_CONCURRENCY ?? (e.UV_THREADPOOL_SIZE === undefined ? undefined : Math.min(64, e.UV_THREADPOOL_SIZE)),
    trustProxy: e.TRUST_PROXY === "1",
    publicCacheSeconds: e.PUBLIC_CACHE_SECONDS,
    shutdownTimeoutSeconds: e.SHUTDOWN_TIMEOUT,
    metricsToken: e.METRICS_TOKEN,
    s3:
      e.S3_ENDPOINT && e.S3_BUCKET && e.S3_ACCESS_KEY_ID && e.S3_SECRET_ACCESS_KEY
        ? {
            endpoint: e.S3_ENDPOINT,
            bucket: e.S3_BUCKET,
            region: e.S3_REGION,
            accessKeyId: e.S3_ACCESS_KEY_ID,
            secretAccessKey: e.S3_SECRET_ACCESS_KEY,
            forcePathStyle: e.S3_FORCE_PATH_STYLE === "1",
          }
        : undefined,
    clamdUrl: e.CLAMD_URL,
  };
}

function decodeKey(text: string): Buffer {
  return /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
}

/** A secret (32 random bytes, hex) generated once and kept in DATA_DIR, so sessions and sealed secrets survive restarts. */
function persistedSecret(dataDir: string, name: "session-secret" | "totp-key"): string {
  const file = path.join(dataDir, name);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
