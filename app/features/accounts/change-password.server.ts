import { eq } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { destroyPostulanteSessions } from "~/platform/session.server";
import { passwordProblem } from "./password-policy.server";
import { AppError } from "~/shared/app-error";

/** The throttle key for wrong current passwords, per account (hashed by the throttle). */
const throttleKey = (postulanteId: string) => `cambiar-password:${postulanteId}`;

/**
 * The current password, asked before a change that could take the account over (its password,
 * its e-mail). Each check counts in the shared throttle per account, checked and counted in one
 * step (`consume`), so a borrowed session cannot be used to brute-force it, not even by a burst;
 * a right password forgets the count. Refusals are AppErrors at `field`.
 */
export async function checkCurrentPassword(options: {
  services: Pick<Services, "db" | "clock" | "hasher" | "throttle">;
  postulanteId: string;
  password: string;
  field: string;
}) {
  const { services, postulanteId, field } = options;
  const now = services.clock.now();
  const key = [throttleKey(postulanteId)];
  const { waitMs } = await services.throttle.consume(key, now);
  if (waitMs > 0) {
    const minutes = Math.ceil(waitMs / 60000);
    throw new AppError(
      "cuenta.demasiados_intentos",
      `Demasiados intentos con una contraseña actual incorrecta. Inténtelo de nuevo en ${minutes} minuto${minutes === 1 ? "" : "s"}.`,
      { status: 429, field, logCause: "current password throttled" },
    );
  }
  const current = await services.db.query.postulantes.findFirst({
    where: eq(postulantes.id, postulanteId),
    columns: { passwordHash: true, numeroDocumento: true, fechaNacimiento: true },
  });
  if (!current) throw new AppError("cuenta.no_encontrada", "Su cuenta ya no existe.", { status: 409, logCause: "postulante not found" });
  if (!(await services.hasher.verify(current.passwordHash, options.password))) {
    throw new AppError("cuenta.contrasena_actual_incorrecta", "La contraseña actual no es correcta.", { field, logCause: "wrong current password" });
  }
  await services.throttle.reset(key);
  return current;
}

/**
 * "Cambiar contraseña" in Mi Perfil. The current password is required (checkCurrentPassword).
 * On success the account's other sessions end (the current one stays).
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
  const current = await checkCurrentPassword({ services, postulanteId, password: passwordActual, field: "passwordActual" });

  const problem = passwordProblem(passwordNueva, {
    numeroDocumento: current.numeroDocumento,
    fechaNacimiento: current.fechaNacimiento,
  });
  if (problem) throw new AppError("cuenta.contrasena_rechazada", problem, { field: "passwordNueva", logCause: "new password refused by the policy" });
  if (passwordNueva === passwordActual) {
    throw new AppError("cuenta.contrasena_igual", "La nueva contraseña debe ser distinta de la actual.", { field: "passwordNueva", logCause: "new password equals the current one" });
  }

  const passwordHash = await services.hasher.hash(passwordNueva);
  await services.db.transaction(async (tx) => {
    await tx.update(postulantes).set({ passwordHash, updatedAt: now }).where(eq(postulantes.id, postulanteId));
    await destroyPostulanteSessions(tx, postulanteId, options.currentSessionHash);
    await audit(tx, { type: "postulante", id: postulanteId }, "postulante.password_cambiado", { type: "postulante", id: postulanteId });
  });
}
