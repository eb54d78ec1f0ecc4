import { and, eq, isNull, lt, or } from "drizzle-orm";
import { sessions, staffRecoveryCodes, staffTotp } from "~/db/schema";
import { auditar } from "~/features/evaluacion/auditoria.server";
import type { Services } from "~/platform/services.server";
import { codigoRechazado, demasiadosIntentos, estadoMfa } from "./errors";
import { openTotpSecret } from "./totp-secret.server";
import { hashRecovery, matchingStep, normalizeRecovery } from "./totp.server";

/**
 * The second sign-in step: a code from the authenticator app, or a recovery code (single use).
 * A code is accepted once: its time step must be later than the last accepted one, so a code
 * seen over someone's shoulder cannot be replayed. Failures are throttled per account.
 * On success only this session is marked verified.
 */
export async function verifySecondFactor(options: {
  services: Pick<Services, "db" | "clock" | "throttle" | "config">;
  staffId: string;
  sessionHash: string;
  code: string;
}): Promise<{ recovery: boolean }> {
  const { db, clock, throttle } = options.services;
  const now = clock.now();
  const keys = [`mfa:${options.staffId}`];
  // Checked and counted in one step, before the code is: a parallel burst of guesses counts as a sequence.
  if ((await throttle.consume(keys, now)).waitMs > 0)
    throw demasiadosIntentos();
  const row = await db.query.staffTotp.findFirst({ where: eq(staffTotp.staffId, options.staffId) });
  if (!row?.enabledAt) throw estadoMfa("mfa.no_activada", "Primero active su aplicación de autenticación.", "not enrolled");
  const code = options.code.trim();
  // Opened outside the transaction (a seed still in clear is sealed on the way), only for an app code.
  const secret = /^\d{6}$/.test(code) ? await openTotpSecret(db, options.services.config.totpKey, row) : "";

  let recovery = false;
  const ok = await db.transaction(async (tx) => {
    if (/^\d{6}$/.test(code)) {
      const step = matchingStep(secret, code, now);
      if (step == null) return "wrong";
      // Conditional update: two requests with the same code cannot both pass.
      const updated = await tx
        .update(staffTotp)
        .set({ lastUsedStep: step, updatedAt: now })
        .where(and(eq(staffTotp.staffId, options.staffId), or(isNull(staffTotp.lastUsedStep), lt(staffTotp.lastUsedStep, step))))
        .returning({ staffId: staffTotp.staffId });
      if (!updated.length) return "replayed";
    } else if (normalizeRecovery(code).length === 12) {
      const used = await tx
        .update(staffRecoveryCodes)
        .set({ usedAt: now })
        .where(and(eq(staffRecoveryCodes.staffId, options.staffId), eq(staffRecoveryCodes.codeHash, hashRecovery(code)), isNull(staffRecoveryCodes.usedAt)))
        .returning({ id: staffRecoveryCodes.id });
      if (!used.length) return "wrong";
      recovery = true;
      await auditar(tx, options.staffId, "staff.codigo_recuperacion_usado", { type: "staff", id: options.staffId });
    } else return "wrong";
    await tx.update(sessions).set({ mfaVerifiedAt: now }).where(eq(sessions.idHash, options.sessionHash));
    return "ok";
  });
  if (ok !== "ok") {
    throw codigoRechazado(ok === "replayed", ok === "replayed" ? "replayed code" : "wrong code");
  }
  await throttle.reset(keys);
  return { recovery };
}
