import type { Db } from "~/db/client.server";

/**
 * Creates a single-use, expiring verification link for `email` and queues its e-mail,
 * in the caller's transaction. Used at registration, by "Reenviar" and when Mi Perfil
 * changes the address. (Implemented with the registration work.)
 */
export async function requestEmailVerification(
  _db: Db,
  _options: { postulanteId: string; email: string; nombres: string; baseUrl: string; now: Date },
): Promise<void> {
  throw new Error("not implemented yet");
}
