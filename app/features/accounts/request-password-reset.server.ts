import { and, eq } from "drizzle-orm";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import type { ThrottleKey } from "~/platform/throttle.server";
import { newToken } from "~/platform/tokens.server";
import type { TipoDocumento } from "./documento";
import { demasiadosIntentos, formatWait } from "./login-postulante.server";

/** Issue 2: a reset link is valid 30 minutes and works once. */
export const RESET_TOKEN_TTL_MS = 30 * 60 * 1000;

/** The same answer whether or not an account matched: it reveals nothing. */
export const RESET_REQUESTED_MESSAGE = "Si los datos corresponden a una cuenta, enviamos un enlace a su correo registrado.";

/**
 * Every request counts (it sends mail), not only failures: three free per account and
 * ten per IP an hour, then the doubling wait of throttle.server.ts. Enough for a person
 * whose mail is slow; a mailbox cannot be flooded through us.
 */
const resetKeys = (tipo: TipoDocumento, numero: string, ip: string): ThrottleKey[] => [
  { raw: `reset:${tipo}:${numero}`, freeFailures: 3 },
  { raw: `reset-ip:${ip}`, freeFailures: 10 },
];

/**
 * "¿Olvidó su contraseña?": asked by document (what the applicant surely knows; the
 * e-mail may be old), answered by mail to the registered address with a single-use
 * link. Returns nothing the caller could tell apart: the route always shows
 * RESET_REQUESTED_MESSAGE.
 */
export async function requestPasswordReset(options: {
  services: Pick<Services, "db" | "throttle" | "clock" | "config" | "mailWorker" | "entidad">;
  tipoDocumento: TipoDocumento;
  /** Already normalised (login.schema.ts). */
  numeroDocumento: string;
  ip: string;
}): Promise<void> {
  const { db, throttle, clock, config, mailWorker } = options.services;
  const now = clock.now();
  const keys = resetKeys(options.tipoDocumento, options.numeroDocumento, options.ip);
  // Checked and counted in one step: parallel requests cannot slip past the allowance.
  const { waitMs: wait } = await throttle.consume(keys, now);
  if (wait > 0) {
    throw demasiadosIntentos(wait, "cuenta.demasiadas_solicitudes", `Demasiadas solicitudes. Espere ${formatWait(wait)} antes de volver a intentarlo.`);
  }

  const account = await db.query.postulantes.findFirst({
    where: and(eq(postulantes.tipoDocumento, options.tipoDocumento), eq(postulantes.numeroDocumento, options.numeroDocumento)),
    columns: { id: true, email: true, nombres: true },
  });
  if (!account) return;

  const { token, hash } = newToken();
  const link = `${config.baseUrl}/restablecer-contrasena?token=${encodeURIComponent(token)}`;
  const entity = await options.services.entidad.current();
  await db.transaction(async (tx) => {
    await tx.insert(accountTokens).values({
      idHash: hash,
      kind: "restablecer_password",
      postulanteId: account.id,
      expiresAt: new Date(now.getTime() + RESET_TOKEN_TTL_MS),
      createdAt: now,
    });
    const subject = "Restablecer su contraseña – CAS Online";
    await enqueueMail(tx, {
      causeKey: `restablecer:${hash}`,
      to: account.email,
      subject,
      ...composeMail({
        entity,
        baseUrl: config.baseUrl,
        subject,
        greeting: `Hola, ${account.nombres}:`,
        blocks: [
          "Recibimos una solicitud para restablecer la contraseña de su cuenta en CAS Online.",
          "Para elegir una nueva contraseña, abra este enlace (vale 30 minutos y una sola vez):",
          { link, label: "Elegir una nueva contraseña" },
          "Al cambiarla se cerrarán todas sus sesiones abiertas.",
          { note: "Si usted no lo solicitó, ignore este mensaje: su contraseña no cambiará." },
        ],
      }),
    });
    await audit(tx, { type: "system", id: null }, "postulante.restablecimiento_solicitado", { type: "postulante", id: account.id });
  });
  mailWorker.kick();
}
