import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { destroyPostulanteSessions } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { AppError } from "~/shared/app-error";
import { postulanteThrottleKey } from "./login-postulante.server";
import { passwordProblem } from "./password-policy.server";

/** The link is unknown, already used or past its 30 minutes (HTTP 410). */
const enlaceRestablecerInvalido = () =>
  new AppError("cuenta.enlace_restablecer_invalido", "El enlace para restablecer la contraseña ya no es válido: venció o ya fue usado.", {
    status: 410,
    logCause: "unusable link",
  });

const usable = (hash: string, now: Date) =>
  and(
    eq(accountTokens.idHash, hash),
    eq(accountTokens.kind, "restablecer_password"),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, now),
  );

/** The account a still-usable reset link belongs to, or null (GET /restablecer-contrasena). */
export async function findResetLink(db: Db, token: string, now: Date) {
  if (!token || token.length > 200) return null;
  const [row] = await db
    .select({
      postulanteId: postulantes.id,
      tipoDocumento: postulantes.tipoDocumento,
      numeroDocumento: postulantes.numeroDocumento,
      fechaNacimiento: postulantes.fechaNacimiento,
    })
    .from(accountTokens)
    .innerJoin(postulantes, eq(postulantes.id, accountTokens.postulanteId))
    .where(usable(hashToken(token), now))
    .limit(1);
  return row ?? null;
}

/**
 * Sets a new password through an e-mailed link. The link is consumed by a conditional
 * update (so two concurrent posts cannot both succeed), every other reset link of the
 * account dies with it, and every session of the account ends: whoever knew the old
 * password is out. The person then signs in with the new one.
 */
export async function resetPassword(options: {
  services: Pick<Services, "db" | "hasher" | "throttle" | "clock">;
  token: string;
  password: string;
}): Promise<{ postulanteId: string }> {
  const { db, hasher, throttle, clock } = options.services;
  const now = clock.now();
  const link = await findResetLink(db, options.token, now);
  if (!link) throw enlaceRestablecerInvalido();
  const problem = passwordProblem(options.password, {
    numeroDocumento: link.numeroDocumento,
    fechaNacimiento: link.fechaNacimiento,
  });
  // The new password breaks the policy: shown at the "Nueva contraseña" field.
  if (problem) throw new AppError("cuenta.contrasena_rechazada", problem, { field: "password", logCause: "new password rejected by the policy" });
  const passwordHash = await hasher.hash(options.password);

  const hash = hashToken(options.token);
  await db.transaction(async (tx) => {
    const consumed = await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(usable(hash, now))
      .returning({ postulanteId: accountTokens.postulanteId });
    if (consumed.length === 0) throw enlaceRestablecerInvalido();
    await tx.update(postulantes).set({ passwordHash, updatedAt: now }).where(eq(postulantes.id, link.postulanteId));
    await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(accountTokens.postulanteId, link.postulanteId),
          eq(accountTokens.kind, "restablecer_password"),
          isNull(accountTokens.usedAt),
        ),
      );
    await destroyPostulanteSessions(tx, link.postulanteId);
    await audit(
      tx,
      { type: "postulante", id: link.postulanteId },
      "postulante.password_restablecido",
      { type: "postulante", id: link.postulanteId },
      { sesionesCerradas: true },
    );
  });
  // The owner proved control of the mailbox: earlier failed guesses no longer hold them back.
  await throttle.reset([postulanteThrottleKey(link.tipoDocumento, link.numeroDocumento)]);
  return { postulanteId: link.postulanteId };
}
