import type { Services } from "~/platform/services.server";
import { destroySession } from "~/platform/session.server";

/** "Salir": the session row is deleted, so the token is worthless even if a copy survives. */
export async function logout(options: { services: Pick<Services, "db">; sessionToken: string | undefined }): Promise<void> {
  await destroySession(options.services.db, options.sessionToken);
}
