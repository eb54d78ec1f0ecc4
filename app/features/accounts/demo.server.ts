import type { Services } from "~/platform/services.server";

/** Demo accounts: a postulante and one staff member per role (see README "Demo data"). */
export async function seedDemoAccounts(_services: Services): Promise<void> {}
