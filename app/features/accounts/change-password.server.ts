import { eq } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { destroyPostulanteSessions } from "~/platform/session.server";
import { passwordProblem } from "./password-policy.server";
import { PerfilError } from "./update-perfil.server";

/** The throttle key for wrong current passwords, per account (hashed by the throttle). */
const throttleKey = (postulanteId: string) => `cambiar-password:${postulanteId}`;

/**
 * "Cambiar contraseña" in Mi Perfil. The current password is required, and wrong guesses
 * count in the shared failure throttle per account, so a borrowed session cannot be used
 * to brute-force it. On success the account's other sessions end (the current one stays).
 */
export async function changePassword(options: {
  services: Pick<Services, "db" | "clock" | "hasher" | "throttle">;
  postulanteId: string;
  /** Hash of the session making the change: the one session that survives. */
  currentSessionHash: string;
  passwordActual: string;
  passwordNueva: string;
}): Promise<void> {
  const { services, postulanteId, passwordActual, passwordNueva } = options;
  const now = services.clock.now();
  const key = [throttleKey(postulanteId)];

  const waitMs = await services.throttle.waitMs(key, now);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60000);
    throw new PerfilError(
      `Demasiados intentos con una contraseña actual incorrecta. Inténtelo de nuevo en ${minutes} minuto${minutes === 1 ? "" : "s"}.`,
      "passwordActual",
      429,
      "change-password throttled",
    );
  }
  const current = await services.db.query.postulantes.findFirst({
    where: eq(postulantes.id, postulanteId),
    columns: { passwordHash: true, numeroDocumento: true, fechaNacimiento: true },
  });
  if (!current) throw new PerfilError("Su cuenta ya no existe.", "form", 409, "postulante not found");
  if (!(await services.hasher.verify(current.passwordHash, passwordActual))) {
    await services.throttle.fail(key, now);
    throw new PerfilError("La contraseña actual no es correcta.", "passwordActual", 422, "wrong current password");
  }
  await services.throttle.reset(key);

  const problem = passwordProblem(passwordNueva, {
    numeroDocumento: current.numeroDocumento,
    fechaNacimiento: current.fechaNacimiento,
  });
  if (problem) throw new PerfilError(problem, "passwordNueva", 422, "new password refused by the policy");
  if (passwordNueva === passwordActual) {
    throw new PerfilError("La nueva contraseña debe ser distinta de la actual.", "passwordNueva", 422, "new password equals the current one");
  }

  const passwordHash = await services.hasher.hash(passwordNueva);
  await services.db.transaction(async (tx) => {
    await tx.update(postulantes).set({ passwordHash, updatedAt: now }).where(eq(postulantes.id, postulanteId));
    await destroyPostulanteSessions(tx, postulanteId, options.currentSessionHash);
    await audit(tx, { type: "postulante", id: postulanteId }, "postulante.password_cambiado", { type: "postulante", id: postulanteId });
  });
}
