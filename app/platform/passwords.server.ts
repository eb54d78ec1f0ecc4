import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id parameters (ARCHITECTURE.md): m = 19 MiB, t = 2, p = 1. */
const ARGON2 = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most N hashes run at once; the rest wait in line. A login storm then costs
 * N × 19 MiB of memory instead of one 19 MiB block per request (bench/README.md).
 */
export function createPasswordHasher(concurrency = Math.max(2, availableParallelism())) {
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
