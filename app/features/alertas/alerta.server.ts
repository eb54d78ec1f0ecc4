import { and, eq, isNotNull, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { alertas } from "~/db/schema";
import type { Busqueda } from "~/features/convocatorias/filtros.server";
import { signedToken, verifySignedToken } from "~/platform/tokens.server";
import { HORA_ENVIO_LIMA } from "./limites";

export type Alerta = typeof alertas.$inferSelect;

/** The saved search of an alert, as the list takes it. */
export function busquedaDeAlerta(a: Pick<Alerta, "q" | "estado" | "unidad" | "tipoContrato" | "departamento">): Busqueda {
  return { q: a.q, estado: a.estado as Busqueda["estado"], unidad: a.unidad, tipoContrato: a.tipoContrato, departamento: a.departamento };
}

/**
 * Serialises the changes to one address's alerts (a transaction-scoped advisory lock), so its
 * bounds are counted exactly even when two requests for it arrive together.
 */
export async function lockCorreo(tx: Db, email: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`alertas:${email}`}))`);
}

/** The address's active (confirmed) alerts. */
export async function activasDe(tx: Db, email: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(alertas)
    .where(and(eq(alertas.email, email), isNotNull(alertas.confirmedAt)));
  return row?.n ?? 0;
}

/** The next HORA_ENVIO_LIMA o'clock in Lima (UTC−5, no DST) strictly after `now`: when a digest is due. */
export function proximoEnvio(now: Date): Date {
  const HOUR = 3600_000;
  // Lima's wall clock as UTC fields; the day's send time on that clock, then back to UTC.
  const lima = new Date(now.getTime() - 5 * HOUR);
  const at = Date.UTC(lima.getUTCFullYear(), lima.getUTCMonth(), lima.getUTCDate(), HORA_ENVIO_LIMA) + 5 * HOUR;
  return new Date(at > now.getTime() ? at : at + 24 * HOUR);
}

const BAJA = "alerta-baja";

/** The path of an alert's unsubscribe page: no row, an HMAC of its id. */
export function rutaBaja(secret: string, alertaId: string): string {
  return `/alertas/baja?token=${encodeURIComponent(signedToken(secret, BAJA, alertaId))}`;
}

/** The unsubscribe link of an alert (List-Unsubscribe, and the link in each e-mail). */
export function enlaceBaja(config: { baseUrl: string; sessionSecret: string }, alertaId: string): string {
  return `${config.baseUrl}${rutaBaja(config.sessionSecret, alertaId)}`;
}

/** The alert an unsubscribe token names, or null. */
export function alertaDeTokenBaja(secret: string, token: unknown): string | null {
  return verifySignedToken(secret, BAJA, token);
}
