import { and, count, eq, gt } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { MailEntity } from "~/platform/entity-settings.server";
import { AppError } from "~/shared/app-error";
import { requestEmailVerification } from "./request-email-verification.server";

/** One verification e-mail a minute per postulante: enough for a lost message, no mail bomb. */
export const RESEND_INTERVAL_MS = 60 * 1000;

/** A second "Reenviar" within RESEND_INTERVAL_MS (HTTP 429): no mail bomb. */
export const reenvioMuyPronto = () =>
  new AppError("cuenta.reenvio_muy_pronto", "Ya le enviamos un correo hace menos de un minuto. Revise su bandeja (y la carpeta de spam) o inténtelo en un momento.", {
    status: 429,
    logCause: "asked again too soon",
  });

/**
 * "Reenviar" in Mi Perfil: a new verification link for the account's current address.
 * Nothing to do when it is already verified. The caller calls services.mailWorker.kick()
 * after it returns "enviado".
 */
export async function resendEmailVerification(options: {
  db: Db;
  postulanteId: string;
  baseUrl: string;
  /** ENTITY_NAME, for the e-mail. */
  entity: MailEntity;
  now: Date;
}): Promise<"enviado" | "ya_verificado"> {
  const { db, postulanteId, baseUrl, entity, now } = options;
  return db.transaction(async (tx) => {
    // The row lock serialises two clicks at once, so the count below cannot be raced.
    const [p] = await tx
      .select({ email: postulantes.email, nombres: postulantes.nombres, emailVerifiedAt: postulantes.emailVerifiedAt })
      .from(postulantes)
      .where(eq(postulantes.id, postulanteId))
      .for("update");
    if (!p) throw new Error(`postulante ${postulanteId} not found`);
    if (p.emailVerifiedAt) return "ya_verificado";
    const [recent] = await tx
      .select({ n: count() })
      .from(accountTokens)
      .where(
        and(
          eq(accountTokens.postulanteId, postulanteId),
          eq(accountTokens.kind, "verificar_email"),
          gt(accountTokens.createdAt, new Date(now.getTime() - RESEND_INTERVAL_MS)),
        ),
      );
    if ((recent?.n ?? 0) > 0) throw reenvioMuyPronto();
    await requestEmailVerification(tx, { postulanteId, email: p.email, nombres: p.nombres, baseUrl, entity, now });
    await audit(tx, { type: "postulante", id: postulanteId }, "postulante.verificacion_reenviada", { type: "postulante", id: postulanteId });
    return "enviado";
  });
}
