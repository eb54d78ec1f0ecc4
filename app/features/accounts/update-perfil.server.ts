import { and, count, eq, gt, min, ne } from "drizzle-orm";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { newToken } from "~/platform/tokens.server";
import { AppError } from "~/shared/app-error";
import { checkCurrentPassword } from "./change-password.server";
import type { DatosContacto, PerfilField } from "./perfil.schema";
import { requestEmailVerification } from "./request-email-verification.server";

/**
 * E-mail changes an account may make in an hour (issue 11: six quick posts sent twelve
 * e-mails in 0.3 s). A person correcting a typo needs two; each change mails two inboxes.
 */
export const EMAIL_CHANGES_PER_HOUR = 3;
/** How long the old address can undo a change: a week covers a person who reads mail weekly. */
export const EMAIL_UNDO_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Same text whether the address is another applicant's or the unique index caught a race: it reveals nothing more. */
export const EMAIL_TAKEN = "Ese correo electrónico no se puede usar para esta cuenta. Ingrese otro.";

/** PostgreSQL's unique_violation (23505), as node-postgres and PGlite report it, possibly wrapped by Drizzle. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === "23505") return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * Saves "Datos de contacto" of Mi Perfil. Only the fields that changed are written and
 * audited (their names, never their values). A new e-mail address (issue 11) needs the
 * current password, is limited to EMAIL_CHANGES_PER_HOUR an hour, loses its verification
 * and gets a verification link; the old address is told of the change with a link that
 * undoes it for 7 days (undo-email-change.server.ts), all in the same transaction: a
 * hijacked session cannot quietly move the account to another mailbox.
 */
export async function updatePerfil(options: {
  services: Pick<Services, "db" | "clock" | "config" | "mailWorker" | "hasher" | "throttle" | "entidad">;
  postulanteId: string;
  input: DatosContacto;
}): Promise<{ changed: PerfilField[] }> {
  const { services, postulanteId, input } = options;
  const now = services.clock.now();

  // The password is checked before the transaction: argon2 takes a while, the row lock must not.
  const before = await services.db.query.postulantes.findFirst({ where: eq(postulantes.id, postulanteId), columns: { email: true } });
  let passwordChecked = false;
  if (before && before.email !== input.email) {
    if (!input.passwordCorreo) {
      throw new AppError("cuenta.contrasena_requerida", "Ingrese su contraseña actual para cambiar el correo electrónico.", { field: "passwordCorreo", logCause: "e-mail change without the password" });
    }
    await checkCurrentPassword({ services, postulanteId, password: input.passwordCorreo, field: "passwordCorreo" });
    passwordChecked = true;
  }

  // Read before the transaction (the e-mails' name and help desk): not a query while it holds the connection.
  const entity = await services.entidad.current();
  let changed: PerfilField[] = [];
  try {
    changed = await services.db.transaction(async (tx) => {
      const [current] = await tx.select().from(postulantes).where(eq(postulantes.id, postulanteId)).for("update");
      if (!current) throw new AppError("cuenta.no_encontrada", "Su cuenta ya no existe.", { status: 409, logCause: "postulante not found" });

      const patch: Partial<typeof postulantes.$inferInsert> = {};
      const fields: PerfilField[] = [];
      const set = <K extends PerfilField>(field: K, value: DatosContacto[K]) => {
        if (current[field] === value) return;
        (patch as Record<string, unknown>)[field] = value;
        fields.push(field);
      };
      set("email", input.email);
      set("celular", input.celular);
      set("telefono", input.telefono);
      set("paisResidencia", input.paisResidencia);
      set("direccion", input.direccion);
      set("ubigeo", input.ubigeo);
      if (!fields.length) return fields;

      let undo: ReturnType<typeof newToken> | undefined;
      if (patch.email) {
        // Changed by another request since the read above: ask again rather than skip the password.
        if (!passwordChecked) throw new AppError("cuenta.contrasena_requerida", "Ingrese su contraseña actual para cambiar el correo electrónico.", { field: "passwordCorreo", logCause: "e-mail changed meanwhile" });
        // Counted under the row lock: parallel posts cannot slip past the limit.
        const [recent] = await tx
          .select({ n: count(), oldest: min(accountTokens.createdAt) })
          .from(accountTokens)
          .where(
            and(
              eq(accountTokens.postulanteId, postulanteId),
              eq(accountTokens.kind, "deshacer_cambio_email"),
              gt(accountTokens.createdAt, new Date(now.getTime() - 60 * 60 * 1000)),
            ),
          );
        if (recent && recent.n >= EMAIL_CHANGES_PER_HOUR) {
          const minutes = Math.max(1, Math.ceil(((recent.oldest?.getTime() ?? now.getTime()) + 60 * 60 * 1000 - now.getTime()) / 60000));
          throw new AppError(
            "cuenta.demasiados_cambios_de_correo",
            `Ya cambió su correo electrónico ${EMAIL_CHANGES_PER_HOUR} veces en la última hora. Podrá cambiarlo de nuevo en ${minutes} minuto${minutes === 1 ? "" : "s"}.`,
            { status: 429, field: "email", logCause: "e-mail changes per hour exceeded" },
          );
        }
        const other = await tx
          .select({ id: postulantes.id })
          .from(postulantes)
          .where(and(eq(postulantes.email, patch.email), ne(postulantes.id, postulanteId)));
        if (other.length) throw new AppError("cuenta.correo_no_disponible", EMAIL_TAKEN, { status: 409, field: "email", logCause: "e-mail belongs to another account" });
        patch.emailVerifiedAt = null;
        undo = newToken();
        await tx.insert(accountTokens).values({
          idHash: undo.hash,
          kind: "deshacer_cambio_email",
          postulanteId,
          email: current.email,
          expiresAt: new Date(now.getTime() + EMAIL_UNDO_TTL_MS),
          createdAt: now,
        });
      }
      await tx
        .update(postulantes)
        .set({ ...patch, updatedAt: now })
        .where(eq(postulantes.id, postulanteId));

      if (patch.email && undo) {
        await requestEmailVerification(tx, {
          postulanteId,
          email: patch.email,
          nombres: current.nombres,
          baseUrl: services.config.baseUrl,
          entity,
          now,
        });
        const subject = "Su correo electrónico en CAS Online cambió";
        const undoLink = `${services.config.baseUrl}/deshacer-cambio-correo?token=${encodeURIComponent(undo.token)}`;
        await enqueueMail(tx, {
          causeKey: `email-cambiado:${undo.hash}`,
          to: current.email,
          subject,
          ...composeMail({
            entity,
            baseUrl: services.config.baseUrl,
            subject,
            greeting: `Hola, ${current.nombres}:`,
            blocks: [
              "El correo electrónico de su cuenta de CAS Online fue cambiado desde «Mi Perfil». " +
                "Desde ahora le escribiremos a la nueva dirección.",
              "Si usted no hizo este cambio, abra este enlace para volver a su correo anterior; " +
                "se cerrarán todas las sesiones abiertas de su cuenta. El enlace vale 7 días y sirve una sola vez.",
              { link: undoLink, label: "Volver a mi correo anterior" },
              "Después restablezca su contraseña con «¿Olvidó su contraseña?» y comuníquese con la Oficina de Recursos Humanos.",
            ],
          }),
        });
      }
      await audit(tx, { type: "postulante", id: postulanteId }, "postulante.perfil_actualizado", { type: "postulante", id: postulanteId }, { fields });
      return fields;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("cuenta.correo_no_disponible", EMAIL_TAKEN, { status: 409, field: "email", logCause: "e-mail unique index (concurrent change)" });
    throw error;
  }
  if (changed.includes("email")) services.mailWorker.kick();
  return { changed };
}
