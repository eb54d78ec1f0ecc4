import { sql } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import type { Services } from "~/platform/services.server";

/**
 * DEMO_DATA=1 on an empty database: believable content to click through (docs/demo.md).
 * Each domain seeds its own part; the database counts as empty when it has no postulante.
 * The log line says how long each part took (it delays the first /readyz) and its CPU time
 * (the process's; wall times stretch on a loaded machine, CPU times much less).
 */
export async function seedDemoData(services: Services): Promise<Record<string, number> | null> {
  const [{ n } = { n: 0 }] = await services.db.select({ n: sql<number>`count(*)::int` }).from(postulantes);
  if (n > 0) {
    services.logger.info("demo data: database not empty, nothing seeded");
    return null;
  }
  const ms: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  const timed = async <T>(part: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await work();
    } finally {
      ms[part] = Math.round(performance.now() - started);
      const { user, system } = process.cpuUsage(cpu);
      cpuMs[part] = Math.round((user + system) / 1000);
    }
  };
  await timed("cuentas", async () => (await import("~/features/accounts/demo.server")).seedDemoAccounts(services));
  await timed("convocatorias", async () => (await import("~/features/convocatorias/demo.server")).seedDemoConvocatorias(services));
  const procesos = await timed("procesos", async () => (await import("./procesos.server")).seedDemoProcesos(services));
  Object.assign(ms, procesos?.ms);
  services.logger.info({ ms, cpuMs, postulaciones: procesos?.postulaciones ?? 0 }, "demo data seeded");
  return ms;
}
