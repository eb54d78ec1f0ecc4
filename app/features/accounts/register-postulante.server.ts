import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "~/db/client.server";
import { postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { MailWorker } from "~/platform/mail.server";
import type { PasswordHasher } from "~/platform/passwords.server";
import { PRIVACY_NOTICE_VERSION } from "./privacy";
import { registroPaso1Schema, type RegistroDatos, type RegistroPaso1 } from "./registro.schema";
import { requestEmailVerification } from "./request-email-verification.server";

/**
 * A document (type + number) or an e-mail that already has an account. One message for
 * both, so the answer reveals nothing about which one, nor anything about the account.
 */
export class CuentaExistenteError extends Error {
  readonly status = 409;
  constructor() {
    super("Ya existe una cuenta con esos datos. Ingrese con su documento y contraseña o recupere su contraseña.");
    this.name = "CuentaExistenteError";
  }
}

/** PostgreSQL's unique_violation, through drizzle's wrapper (`cause`) on either driver. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (e.code === "23505") return true;
    e = e.cause as typeof e;
  }
  return false;
}

/**
 * "Crear nuevo usuario" (seed 2.1.1): stores the postulante with the consent to the
 * privacy notice (Ley 29733), audits it and queues the verification e-mail, all in one
 * transaction. Uniqueness is left to the database's unique indexes (document, e-mail):
 * one path for the plain duplicate and for two simultaneous registrations.
 */
export async function registerPostulante(options: {
  db: Db;
  hasher: PasswordHasher;
  mailWorker: Pick<MailWorker, "kick">;
  paso1: RegistroPaso1;
  datos: RegistroDatos;
  baseUrl: string;
  /** ENTITY_NAME, for the e-mail. */
  entityName: string;
  now: Date;
}): Promise<{ postulanteId: string; email: string }> {
  const { db, hasher, mailWorker, paso1, datos, baseUrl, entityName, now } = options;
  // Hashed before looking anything up, so a duplicate takes as long to answer as a success.
  const passwordHash = await hasher.hash(datos.password);
  let postulanteId: string;
  try {
    postulanteId = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(postulantes)
        .values({
          nacionalidad: paso1.nacionalidad,
          tipoDocumento: paso1.tipoDocumento,
          numeroDocumento: paso1.numeroDocumento,
          nombres: datos.nombres,
          apellidoPaterno: datos.apellidoPaterno,
          apellidoMaterno: datos.apellidoMaterno,
          fechaNacimiento: datos.fechaNacimiento,
          sexo: datos.sexo,
          email: datos.email,
          celular: datos.celular,
          telefono: datos.telefono,
          paisResidencia: datos.paisResidencia,
          direccion: datos.direccion,
          ubigeo: datos.ubigeo,
          passwordHash,
          consentVersion: PRIVACY_NOTICE_VERSION,
          consentAt: now,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: postulantes.id });
      const id = row!.id;
      await audit(tx, { type: "postulante", id }, "postulante.registrado", { type: "postulante", id }, {
        // No personal data in the audit trail: the row itself says who.
        consentVersion: PRIVACY_NOTICE_VERSION,
      });
      await requestEmailVerification(tx, { postulanteId: id, email: datos.email, nombres: datos.nombres, baseUrl, entityName, now });
      return id;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new CuentaExistenteError();
    throw error;
  }
  mailWorker.kick();
  return { postulanteId, email: datos.email };
}

// ------------------------------------------------- step 1 → step 2 of the form
//
// Step 1's answers (nationality, document type and number) reach step 2 in a short-lived
// cookie signed with HMAC-SHA256 under SESSION_SECRET (HttpOnly, SameSite=Lax), never in
// the URL: a document number must not land in an address bar, a history or a log. The
// signature stops a client from swapping in a pair step 1 would have refused; step 2
// validates it again anyway.

/** Half an hour to fill in step 2. */
export const PASO1_TTL_MS = 30 * 60 * 1000;
export const PASO1_COOKIE = "cas_registro";

const sign = (secret: string, payload: string) => createHmac("sha256", secret).update(`registro:${payload}`).digest("base64url");

export function sealPaso1(secret: string, paso1: RegistroPaso1, now: Date): string {
  const payload = Buffer.from(
    JSON.stringify({ n: paso1.nacionalidad, t: paso1.tipoDocumento, d: paso1.numeroDocumento, exp: now.getTime() + PASO1_TTL_MS }),
  ).toString("base64url");
  return `${payload}.${sign(secret, payload)}`;
}

/** Step 1's answers, or null when the cookie is missing, altered, expired or no longer valid. */
export function unsealPaso1(secret: string, value: string | undefined, now: Date): RegistroPaso1 | null {
  if (!value || value.length > 1000) return null;
  const [payload = "", mac = ""] = value.split(".");
  const expected = Buffer.from(sign(secret, payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const { n, t, d, exp } = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof exp !== "number" || exp <= now.getTime()) return null;
    const parsed = registroPaso1Schema.safeParse({ nacionalidad: n, tipoDocumento: t, numeroDocumento: d });
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
