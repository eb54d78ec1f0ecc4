import { and, eq, ne } from "drizzle-orm";
import { postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import type { DatosContacto, PerfilField } from "./perfil.schema";
import { requestEmailVerification } from "./request-email-verification.server";

/** A refusal the form shows at one field; `status` is the HTTP answer (409 conflict, 422 invalid, 429 throttled). */
export class PerfilError extends Error {
  constructor(
    message: string,
    readonly field: string,
    readonly status: 409 | 422 | 429,
    readonly logCause: string,
  ) {
    super(message);
  }
}

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
 * audited (their names, never their values). A new e-mail address loses its verification
 * and gets a verification link, in the same transaction; the old address is told of the change
 * (a hijacked session cannot quietly move the account to another mailbox).
 */
export async function updatePerfil(options: {
  services: Pick<Services, "db" | "clock" | "config" | "mailWorker">;
  postulanteId: string;
  input: DatosContacto;
}): Promise<{ changed: PerfilField[] }> {
  const { services, postulanteId, input } = options;
  const now = services.clock.now();
  let changed: PerfilField[] = [];
  try {
    changed = await services.db.transaction(async (tx) => {
      const [current] = await tx.select().from(postulantes).where(eq(postulantes.id, postulanteId)).for("update");
      if (!current) throw new PerfilError("Su cuenta ya no existe.", "form", 409, "postulante not found");

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

      if (patch.email) {
        const other = await tx
          .select({ id: postulantes.id })
          .from(postulantes)
          .where(and(eq(postulantes.email, patch.email), ne(postulantes.id, postulanteId)));
        if (other.length) throw new PerfilError(EMAIL_TAKEN, "email", 409, "e-mail belongs to another account");
        patch.emailVerifiedAt = null;
      }
      await tx
        .update(postulantes)
        .set({ ...patch, updatedAt: now })
        .where(eq(postulantes.id, postulanteId));

      if (patch.email) {
        await requestEmailVerification(tx, {
          postulanteId,
          email: patch.email,
          nombres: current.nombres,
          baseUrl: services.config.baseUrl,
          entityName: services.config.entityName,
          now,
        });
        const subject = "Su correo electrónico en CAS Online cambió";
        await enqueueMail(tx, {
          causeKey: `email-cambiado:${postulanteId}:${now.toISOString()}`,
          to: current.email,
          subject,
          ...composeMail({
            entityName: services.config.entityName,
            baseUrl: services.config.baseUrl,
            subject,
            greeting: `Hola, ${current.nombres}:`,
            blocks: [
              "El correo electrónico de su cuenta de CAS Online fue cambiado desde «Mi Perfil». " +
                "Desde ahora le escribiremos a la nueva dirección.",
              "Si usted no hizo este cambio, restablezca su contraseña con «¿Olvidó su contraseña?» " +
                "y comuníquese con la Oficina de Recursos Humanos.",
              { link: `${services.config.baseUrl}/recuperar-contrasena`, label: "Restablecer mi contraseña" },
            ],
          }),
        });
      }
      await audit(tx, { type: "postulante", id: postulanteId }, "postulante.perfil_actualizado", { type: "postulante", id: postulanteId }, { fields });
      return fields;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new PerfilError(EMAIL_TAKEN, "email", 409, "e-mail unique index (concurrent change)");
    throw error;
  }
  if (changed.includes("email")) services.mailWorker.kick();
  return { changed };
}
