import type { Services } from "~/platform/services.server";

/**
 * DEMO_DATA=1 on an empty database: believable content to click through.
 * Each domain adds its part (accounts: a demo postulante and staff; convocatorias: the calls).
 */
export async function seedDemoData(services: Services): Promise<void> {
  services.logger.info("demo data: nothing to seed yet");
}
