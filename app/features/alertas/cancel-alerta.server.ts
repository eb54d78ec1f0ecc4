import { and, eq } from "drizzle-orm";
import { alertas } from "~/db/schema";
import { describirBusqueda } from "~/features/convocatorias/filtros.server";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { alertaDeTokenBaja, busquedaDeAlerta } from "./alerta.server";
import { alertaNoEncontrada, enlaceAlertaInvalido } from "./errors";

/** The search of the alert an unsubscribe link names, in words (its GET page), or null when the link names none. */
export async function alertaDeEnlaceBaja(options: { services: Pick<Services, "db" | "config">; token: unknown }) {
  const id = alertaDeTokenBaja(options.services.config.sessionSecret, options.token);
  if (!id) return null;
  const row = await options.services.db.query.alertas.findFirst({ where: eq(alertas.id, id) });
  return row ? { busqueda: describirBusqueda(busquedaDeAlerta(row)) } : null;
}

/**
 * The e-mail's unsubscribe link, in one click (RFC 8058) or from its page: the alert is deleted.
 * Idempotent: a link whose alert is already gone answers the same (a second click, a client
 * that retries), so only a link this server did not sign is refused.
 */
export async function cancelAlertaPorEnlace(options: { services: Pick<Services, "db" | "config">; token: unknown }): Promise<void> {
  const id = alertaDeTokenBaja(options.services.config.sessionSecret, options.token);
  if (!id) throw enlaceAlertaInvalido();
  await options.services.db.transaction(async (tx) => {
    const rows = await tx.delete(alertas).where(eq(alertas.id, id)).returning({ id: alertas.id });
    if (rows.length) await audit(tx, { type: "system", id: null }, "alerta.cancelada", { type: "alerta", id }, { via: "enlace" });
  });
}

/** "Eliminar" on Mis alertas: only the applicant's own. */
export async function deleteAlerta(options: { services: Pick<Services, "db">; postulanteId: string; alertaId: string }): Promise<void> {
  const { postulanteId, alertaId } = options;
  await options.services.db.transaction(async (tx) => {
    const rows = await tx
      .delete(alertas)
      .where(and(eq(alertas.id, alertaId), eq(alertas.postulanteId, postulanteId)))
      .returning({ id: alertas.id });
    if (!rows.length) throw alertaNoEncontrada();
    await audit(tx, { type: "postulante", id: postulanteId }, "alerta.cancelada", { type: "alerta", id: alertaId }, { via: "perfil" });
  });
}
