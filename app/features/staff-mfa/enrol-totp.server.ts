import { eq } from "drizzle-orm";
import { sessions, staffRecoveryCodes, staffTotp } from "~/db/schema";
import { auditar } from "~/features/evaluacion/auditoria.server";
import type { Services } from "~/platform/services.server";
import { codigoRechazado, demasiadosIntentos, estadoMfa } from "./errors";
import { openTotpSecret, sealTotpSecret } from "./totp-secret.server";
import { hashRecovery, matchingStep, newRecoveryCodes, newSecret } from "./totp.server";

/** The pending secret of an enrolment (created on first visit, kept until confirmed); null when already enrolled. */
export async function startEnrolment(services: Pick<Services, "db" | "config">, staffId: string): Promise<string | null> {
  const { db, config } = services;
  await db.insert(staffTotp).values({ staffId, secret: sealTotpSecret(config.totpKey, staffId, newSecret()) }).onConflictDoNothing();
  const row = (await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, staffId) }))!;
  return row.enabledAt ? null : openTotpSecret(db, config.totpKey, row);
}

/**
 * Confirms an enrolment with a code from the app: TOTP on, ten new recovery codes (returned
 * once, stored hashed), this session verified. Wrong codes are throttled like passwords.
 */
export async function confirmEnrolment(options: {
  services: Pick<Services, "db" | "clock" | "throttle" | "config">;
  staffId: string;
  sessionHash: string;
  code: string;
}): Promise<{ recoveryCodes: string[] }> {
  const { db, clock, throttle } = options.services;
  const now = clock.now();
  const keys = [`mfa:${options.staffId}`];
  // Checked and counted in one step, before the code is: a parallel burst of guesses counts as a sequence.
  if ((await throttle.consume(keys, now)).waitMs > 0)
    throw demasiadosIntentos();
  const row = await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, options.staffId) });
  if (!row) throw estadoMfa("mfa.sin_clave_pendiente", "Recargue la página para obtener su clave.", "no pending secret");
  if (row.enabledAt) throw estadoMfa("mfa.ya_activada", "Su aplicación de autenticación ya está activada.", "already enrolled");
  const step = matchingStep(await openTotpSecret(db, options.services.config.totpKey, row), options.code.trim(), now);
  if (step == null) {
    throw codigoRechazado(false, "wrong code at enrolment");
  }
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx.update(staffTotp).set({ enabledAt: now, lastUsedStep: step, updatedAt: now }).where(eq(staffTotp.staffId, options.staffId));
    await tx.delete(staffRecoveryCodes).where(eq(staffRecoveryCodes.staffId, options.staffId));
    await tx.insert(staffRecoveryCodes).values(codes.map((c) => ({ staffId: options.staffId, codeHash: hashRecovery(c), createdAt: now })));
    await tx.update(sessions).set({ mfaVerifiedAt: now }).where(eq(sessions.idHash, options.sessionHash));
    await auditar(tx, options.staffId, "staff.segundo_factor_activado", { type: "staff", id: options.staffId }, { codigosRecuperacion: codes.length });
  });
  await throttle.reset(keys);
  return { recoveryCodes: codes };
}
