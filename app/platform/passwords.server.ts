import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id parameters (ARCHITECTURE.md): m = 19 MiB, t = 2, p = 1. */
const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** libuv's thread pool, where argon2 runs: 4 threads unless UV_THREADPOOL_SIZE says otherwise. */
export const LIBUV_DEFAULT_POOL_SIZE = 4;

/**
 * At most N hashes run at once; the rest wait in line. A login storm then costs
 * N × 19 MiB of memory instead of one 19 MiB block per request. N defaults to libuv's pool
 * size, the threads argon2 runs on: fewer leaves CPU time unused by argon2 in a storm,
 * more only queues in libuv (bench/README.md, "Logins"). While N hashes run, other pool
 * work (file reads, compression) waits for a thread at most one hash (~20–40 ms).
 */
export function createPasswordHasher(concurrency = LIBUV_DEFAULT_POOL_SIZE) {
  let running = 0;
  const waiting: (() => void)[] = [];
  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }
  // Verifying against this when the account does not exist keeps both answers equally slow.
  let dummyHash: Promise<string> | undefined;
  return {
    hash: (password: string) => limited(() => hash(password, ARGON2)),
    verify: (passwordHash: string, password: string) =>
      limited(() => verify(passwordHash, password).catch(() => false)),
    async verifyNobody(password: string): Promise<false> {
      dummyHash ??= hash("cas-online-dummy-password-1", ARGON2);
      await limited(async () => verify(await dummyHash!, password).catch(() => false));
      return false;
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
