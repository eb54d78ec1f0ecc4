import { sql } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import type { Services } from "~/platform/services.server";

/**
 * DEMO_DATA=1 on an empty database: believable content to click through.
 * Each domain seeds its own part; the database counts as empty when it has no postulante.
 */
export async function seedDemoData(services: Services): Promise<void> {
  const [{ n } = { n: 0 }] = await services.db.select({ n: sql<number>`count(*)::int` }).from(postulantes);
  if (n > 0) {
    services.logger.info("demo data: database not empty, nothing seeded");
    return;
  }
  const { seedDemoAccounts } = await import("~/features/accounts/demo.server");
  await seedDemoAccounts(services);
  await (await import("~/features/convocatorias/demo.server")).seedDemoConvocatorias(services);
  services.logger.info("demo data seeded");
}
