import { and, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { alertas } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { hashToken } from "~/platform/tokens.server";
import { activasDe, lockCorreo, proximoEnvio, rutaBaja } from "./alerta.server";
import { demasiadasAlertas, enlaceAlertaInvalido } from "./errors";
import { CONFIRMACION_TTL_MS, MAX_ALERTAS_POR_CORREO } from "./limites";

const pendiente = (token: string, now: Date) =>
  and(eq(alertas.confirmacionHash, hashToken(token)), isNull(alertas.confirmedAt), gt(alertas.createdAt, new Date(now.getTime() - CONFIRMACION_TTL_MS)));

/** Does the confirmation link still work? (The page's GET: it confirms nothing, as a mail scanner fetches links.) */
export async function isConfirmacionUsable(options: { db: Db; token: string; now: Date }): Promise<boolean> {
  if (!options.token || options.token.length > 100) return false;
  const row = await options.db.query.alertas.findFirst({ where: pendiente(options.token, options.now), columns: { id: true } });
  return Boolean(row);
}

/**
 * "Confirmar mi alerta": the double opt-in link proves the mailbox; the alert becomes active and
 * its first digest lists what is published from now on. Returns its unsubscribe page (where the
 * confirmation lands: "Alerta confirmada", with "Cancelar alerta" should the person change their mind). The link works once and for
 * CONFIRMACION_TTL_MS. The address's bound of active alerts is checked here, where its owner is
 * the one told.
 */
export async function confirmAlerta(options: {
  services: Pick<Services, "db" | "clock" | "config">;
  token: unknown;
}): Promise<{ alertaId: string; rutaBaja: string }> {
  const { db, clock } = options.services;
  const now = clock.now();
  if (typeof options.token !== "string" || !options.token || options.token.length > 100) throw enlaceAlertaInvalido();
  const token = options.token;
  return db.transaction(async (tx) => {
    const found = await tx.query.alertas.findFirst({ where: pendiente(token, now), columns: { id: true, email: true } });
    if (!found) throw enlaceAlertaInvalido();
    await lockCorreo(tx, found.email);
    if ((await activasDe(tx, found.email)) >= MAX_ALERTAS_POR_CORREO) throw demasiadasAlertas();
    // Conditional: of two clicks at once, one confirms.
    const rows = await tx
      .update(alertas)
      .set({ confirmedAt: now, confirmacionHash: null, desde: now, proximoEnvioAt: proximoEnvio(now) })
      .where(and(eq(alertas.id, found.id), isNull(alertas.confirmedAt)))
      .returning({ id: alertas.id });
    if (!rows.length) throw enlaceAlertaInvalido();
    await audit(tx, { type: "system", id: null }, "alerta.confirmada", { type: "alerta", id: found.id });
    return { alertaId: found.id, rutaBaja: rutaBaja(options.services.config.sessionSecret, found.id) };
  });
}
