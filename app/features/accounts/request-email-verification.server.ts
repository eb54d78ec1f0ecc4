import type { Db } from "~/db/client.server";
import { accountTokens } from "~/db/schema";
import { enqueueMail } from "~/platform/mail.server";
import type { MailEntity } from "~/platform/entity-settings.server";
import { composeMail } from "~/platform/mail-template.server";
import { newToken } from "~/platform/tokens.server";

/** How long a verification link works: a day leaves time to open the mailbox. */
export const EMAIL_VERIFICATION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Creates a single-use, expiring verification link for `email` and queues its e-mail,
 * in the caller's transaction. Used at registration, by "Reenviar" and when Mi Perfil
 * changes the address. The caller kicks the mail worker after its commit.
 * Only the token's SHA-256 is stored; the token itself travels in the e-mail only.
 */
export async function requestEmailVerification(
  db: Db,
  options: { postulanteId: string; email: string; nombres: string; baseUrl: string; entity: MailEntity; now: Date },
): Promise<void> {
  const { postulanteId, email, nombres, baseUrl, now } = options;
  const { token, hash } = newToken();
  await db.insert(accountTokens).values({
    idHash: hash,
    kind: "verificar_email",
    postulanteId,
    email,
    expiresAt: new Date(now.getTime() + EMAIL_VERIFICATION_TTL_MS),
    createdAt: now,
  });
  const subject = "Verifique su correo – CAS Online";
  await enqueueMail(db, {
    causeKey: `verificar-email:${hash}`,
    to: email,
    subject,
    ...composeMail({
      entity: options.entity,
      baseUrl,
      subject,
      greeting: `Hola, ${nombres}:`,
      blocks: [
        "Para confirmar que esta es su dirección de correo en CAS Online, abra el siguiente enlace y presione «Verificar mi correo»:",
        { link: `${baseUrl.replace(/\/$/, "")}/verificar-correo?token=${token}`, label: "Verificar mi correo" },
        "El enlace vence en 24 horas y sirve una sola vez.",
        { note: "Si usted no creó una cuenta ni cambió su correo en CAS Online, ignore este mensaje." },
      ],
    }),
  });
}
