import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { accountTokens, postulantes } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import { hashToken } from "~/platform/tokens.server";
import { AppError } from "~/shared/app-error";

/** The link is unknown, used, expired, or for an address the account no longer has (HTTP 410). */
const enlaceInvalido = () =>
  new AppError("cuenta.enlace_verificacion_invalido", "El enlace no es válido o ya venció. Ingrese a Mi Perfil y pida uno nuevo con «Reenviar».", {
    status: 410,
    logCause: "unknown, used, expired or for an old address",
  });

/** Tokens are 43 base64url characters (tokens.server.ts); anything else is not one of ours. */
const looksLikeToken = (token: unknown): token is string => typeof token === "string" && /^[A-Za-z0-9_-]{20,100}$/.test(token);

function usable(hash: string, now: Date) {
  return and(
    eq(accountTokens.idHash, hash),
    eq(accountTokens.kind, "verificar_email"),
    isNull(accountTokens.usedAt),
    gt(accountTokens.expiresAt, now),
  );
}

/** Read-only: whether the link could still verify (the GET page shows the button or the refusal). */
export async function isEmailVerificationUsable(options: { db: Db; token: unknown; now: Date }): Promise<boolean> {
  const { db, token, now } = options;
  if (!looksLikeToken(token)) return false;
  const row = await db.query.accountTokens.findFirst({ where: usable(hashToken(token), now), columns: { idHash: true } });
  return Boolean(row);
}

/**
 * Consumes a verification link (a POST from the page the link opens, so that mail
 * scanners that prefetch links do not use it up). Single use: the token is taken by a
 * conditional update; the address is verified only if the account still has it.
 */
export async function verifyEmail(options: { db: Db; token: unknown; now: Date }): Promise<{ postulanteId: string }> {
  const { db, token, now } = options;
  if (!looksLikeToken(token)) throw enlaceInvalido();
  const hash = hashToken(token);
  return db.transaction(async (tx) => {
    const [used] = await tx
      .update(accountTokens)
      .set({ usedAt: now })
      .where(usable(hash, now))
      .returning({ postulanteId: accountTokens.postulanteId, email: accountTokens.email });
    if (!used?.email) throw enlaceInvalido();
    const [verified] = await tx
      .update(postulantes)
      .set({ emailVerifiedAt: sql`coalesce(${postulantes.emailVerifiedAt}, ${now.toISOString()}::timestamptz)`, updatedAt: now })
      .where(and(eq(postulantes.id, used.postulanteId), eq(postulantes.email, used.email)))
      .returning({ id: postulantes.id });
    // The address changed since the link was sent: throwing rolls back, nothing is changed.
    if (!verified) throw enlaceInvalido();
    await audit(tx, { type: "postulante", id: verified.id }, "postulante.email_verificado", { type: "postulante", id: verified.id });
    return { postulanteId: verified.id };
  });
}
