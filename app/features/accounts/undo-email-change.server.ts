import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { destroyPostulanteSessions } from "~/platform/session.server";
import { hashToken } from "~/platform/tokens.server";
import { AppError } from "~/shared/app-error";
import { isUniqueViolation } from "./update-perfil.server";

/** The link is unknown, already used or past its 7 days (HTTP 410). */
const enlaceDeshacerInvalido = () =>
  new AppError("cuenta.enlace_deshacer_invalido", "El enlace para recuperar su correo anterior ya no es válido: venció o ya fue usado.", {
    status: 410,
    logCause: "unusable link",
  });

const usable = (hash: string, now: Date) =>
  and(
    eq(accountTokens.idHash, hash),
    eq(accountTokens.kind, "deshacer_cambio_email"),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, now),
  );

/** Whether an undo link can still be used (GET /deshacer-cambio-correo: the page shows a button, it does not act). */
export async function isUndoLinkUsable(db: Db, token: string, now: Date): Promise<boolean> {
  if (!token || token.length > 200) return false;
  const [row] = await db.select({ id: accountTokens.idHash }).from(accountTokens).where(usable(hashToken(token), now)).limit(1);
  return Boolean(row);
}

/**
 * The old address undoes an e-mail change made in Mi Perfil (issue 11), with the link e-mailed
 * to it. In one transaction: the link is consumed by a conditional update (single use, also under
 * concurrency), the old address comes back (verified: the link proves it is read), every other
 * unused link of the account dies (the new address's verification, later undo links, reset links
 * sent to the new address), and every session of the account ends: whoever changed it is out.
 */
export async function undoEmailChange(options: {
  services: Pick<Services, "db" | "clock">;
  token: string;
}): Promise<{ postulanteId: string }> {
  const { db, clock } = options.services;
  const now = clock.now();
  if (!options.token || options.token.length > 200) throw enlaceDeshacerInvalido();
  try {
    return await db.transaction(async (tx) => {
      const [link] = await tx
        .update(accountTokens)
        .set({ usedAt: now })
        .where(usable(hashToken(options.token), now))
        .returning({ postulanteId: accountTokens.postulanteId, email: accountTokens.email });
      if (!link?.email) throw enlaceDeshacerInvalido();
      const { postulanteId } = link;
      await tx
        .update(postulantes)
        .set({ email: link.email, emailVerifiedAt: now, updatedAt: now })
        .where(eq(postulantes.id, postulanteId));
      await tx
        .update(accountTokens)
        .set({ usedAt: now })
        .where(and(eq(accountTokens.postulanteId, postulanteId), isNull(accountTokens.usedAt)));
      await destroyPostulanteSessions(tx, postulanteId);
      await audit(tx, { type: "postulante", id: postulanteId }, "postulante.cambio_email_deshecho", { type: "postulante", id: postulanteId });
      return { postulanteId };
    });
  } catch (error) {
    // The old address now belongs to another account (HTTP 409): nothing changes.
    if (isUniqueViolation(error)) {
      throw new AppError("cuenta.correo_anterior_ocupado", "No se pudo recuperar su correo anterior. Comuníquese con la Oficina de Recursos Humanos.", {
        status: 409,
        logCause: "old address taken",
      });
    }
    throw error;
  }
}
