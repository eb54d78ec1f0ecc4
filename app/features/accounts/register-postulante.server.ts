import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { and, eq, or } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { enqueueMail } from "~/platform/mail.server";
import type { MailEntity } from "~/platform/entity-settings.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import type { ThrottleKey } from "~/platform/throttle.server";
import { demasiadosIntentos, formatWait } from "./login-postulante.server";
import { PRIVACY_NOTICE_VERSION } from "./privacy";
import { registroPaso1Schema, type RegistroDatos, type RegistroPaso1 } from "./registro.schema";
import { requestEmailVerification } from "./request-email-verification.server";

/**
 * How many registrations an hour, then the doubling wait of throttle.server.ts. Every attempt
 * counts (each sends mail), whether its data were new or not, so the throttle itself reveals
 * nothing. Per document and per e-mail: a person retrying needs one or two; a prober probing
 * one document or flooding one mailbox gets three. Per IP: a cabina pública or a university
 * lab registers many people from one address; a prober walking through documents gets 30.
 */
export const REGISTRO_FREE_PER_DOCUMENT = 3;
export const REGISTRO_FREE_PER_IP = 30;
const registroKeys = (paso1: RegistroPaso1, email: string, ip: string): ThrottleKey[] => [
  { raw: `registro:${paso1.tipoDocumento}:${paso1.numeroDocumento}`, freeFailures: REGISTRO_FREE_PER_DOCUMENT },
  { raw: `registro-email:${email}`, freeFailures: REGISTRO_FREE_PER_DOCUMENT },
  { raw: `registro-ip:${ip}`, freeFailures: REGISTRO_FREE_PER_IP },
];

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
 *
 * A document or an e-mail that already has an account is NOT refused (issue 11: a 409 told
 * anyone which DNIs and e-mails have accounts): the caller gives the same answer as for a new
 * account ("revise su correo"), and the account's owner is mailed that someone tried to
 * register with their data, with the way to recover the password. Throttled per document,
 * per e-mail and per IP (demasiadosIntentos, 429).
 */
export async function registerPostulante(options: {
  services: Pick<Services, "db" | "hasher" | "mailWorker" | "throttle" | "clock" | "config" | "entidad">;
  paso1: RegistroPaso1;
  datos: RegistroDatos;
  baseUrl: string;
  ip: string;
}): Promise<{ outcome: "registrado"; postulanteId: string } | { outcome: "existente" }> {
  const { services, paso1, datos, baseUrl } = options;
  const { db, hasher, mailWorker, throttle } = services;
  const now = services.clock.now();
  const { waitMs } = await throttle.consume(registroKeys(paso1, datos.email, options.ip), now);
  if (waitMs > 0) {
    throw demasiadosIntentos(waitMs, "cuenta.demasiados_registros", `Demasiados registros seguidos. Espere ${formatWait(waitMs)} antes de volver a intentarlo.`);
  }
  // Hashed before looking anything up, so an existing account takes as long to answer as a new one.
  const passwordHash = await hasher.hash(datos.password);
  const entity = await services.entidad.current();
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
      await requestEmailVerification(tx, {
        postulanteId: id,
        email: datos.email,
        nombres: datos.nombres,
        baseUrl,
        entity,
        now,
      });
      return id;
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await warnExistingAccounts({ db, paso1, email: datos.email, baseUrl, entity });
    mailWorker.kick();
    return { outcome: "existente" };
  }
  mailWorker.kick();
  return { outcome: "registrado", postulanteId };
}

const REGISTRO_REPETIDO = "Intento de registro con sus datos – CAS Online";

/**
 * The owner of each account holding the document or the e-mail learns, at the address on
 * file (never at the one just typed), that someone tried to register with their data, and
 * how to get back in. Audited on that account.
 */
async function warnExistingAccounts(options: { db: Db; paso1: RegistroPaso1; email: string; baseUrl: string; entity: MailEntity }) {
  const { db, paso1, email, baseUrl, entity } = options;
  await db.transaction(async (tx) => {
    const owners = await tx
      .select({ id: postulantes.id, email: postulantes.email, nombres: postulantes.nombres })
      .from(postulantes)
      .where(
        or(
          and(eq(postulantes.tipoDocumento, paso1.tipoDocumento), eq(postulantes.numeroDocumento, paso1.numeroDocumento)),
          eq(postulantes.email, email),
        ),
      );
    for (const owner of owners) {
      await enqueueMail(tx, {
        // One message per attempt: each attempt is its own cause.
        causeKey: `registro-repetido:${owner.id}:${randomUUID()}`,
        to: owner.email,
        subject: REGISTRO_REPETIDO,
        ...composeMail({
          entity,
          baseUrl,
          subject: REGISTRO_REPETIDO,
          greeting: `Hola, ${owner.nombres}:`,
          blocks: [
            "Alguien intentó crear una cuenta nueva en CAS Online con su número de documento o con su correo electrónico. " +
              "Como usted ya tiene una cuenta, no se creó otra.",
            "Si fue usted, ingrese con su tipo y número de documento y su contraseña. Si no la recuerda, restablézcala:",
            { link: `${baseUrl}/recuperar-contrasena`, label: "Restablecer mi contraseña" },
            "Si no fue usted, no necesita hacer nada: su cuenta no cambió.",
          ],
        }),
      });
      await audit(tx, { type: "system", id: null }, "postulante.registro_repetido", { type: "postulante", id: owner.id });
    }
  });
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
