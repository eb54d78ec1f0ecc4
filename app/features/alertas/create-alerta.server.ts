import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import { alertas, postulantes } from "~/db/schema";
import { demasiadosIntentos, formatWait } from "~/features/accounts/login-postulante.server";
import { busquedaQuery, describirBusqueda, type Busqueda } from "~/features/convocatorias/filtros.server";
import { audit } from "~/platform/audit.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { newToken } from "~/platform/tokens.server";
import { activasDe, lockCorreo, proximoEnvio } from "./alerta.server";
import { correoSinVerificar, demasiadasAlertas } from "./errors";
import { ALERTAS_POR_IP_LIBRES, CONFIRMACION_TTL_MS, MAX_ALERTAS_POR_CORREO, MAX_CONFIRMACIONES_POR_DIA } from "./limites";

type Deps = Pick<Services, "db" | "throttle" | "clock" | "config" | "mailWorker" | "entidad" | "logger">;

/**
 * "Crear alerta" (issue 17). A signed-in applicant's alert goes to their verified address and is
 * active at once; anyone else's waits for the double opt-in link e-mailed to the address typed.
 *
 * Bounds (limites.ts): an address holds at most MAX_ALERTAS_POR_CORREO active alerts (the
 * applicant is told; a stranger is told only once the link proves the mailbox is theirs, see
 * confirm-alerta.server.ts), gets at most MAX_CONFIRMACIONES_POR_DIA confirmation e-mails a day
 * and nothing else before confirming; an IP address is throttled. The anonymous answer is the same
 * whatever the address's alerts (`por_confirmar`): it tells a stranger nothing about them.
 */
export async function createAlerta(options: {
  services: Deps;
  busqueda: Busqueda;
  /** Anonymous: the address typed, already lower-cased (alerta.schema.ts). */
  email?: string;
  postulante?: { id: string; email: string; emailVerifiedAt: Date | null };
  ip: string;
}): Promise<{ estado: "activa" | "por_confirmar" }> {
  const { services, busqueda, postulante } = options;
  const { db, clock, logger } = services;
  const now = clock.now();

  if (postulante) {
    if (!postulante.emailVerifiedAt) throw correoSinVerificar();
    const email = postulante.email.toLowerCase();
    await db.transaction(async (tx) => {
      await lockCorreo(tx, email);
      if ((await activasDe(tx, email)) >= MAX_ALERTAS_POR_CORREO) throw demasiadasAlertas();
      const [row] = await tx
        .insert(alertas)
        .values({ email, postulanteId: postulante.id, ...busqueda, confirmedAt: now, desde: now, proximoEnvioAt: proximoEnvio(now), createdAt: now })
        .returning({ id: alertas.id });
      await audit(tx, { type: "postulante", id: postulante.id }, "alerta.creada", { type: "alerta", id: row!.id }, { porConfirmar: false });
    });
    return { estado: "activa" };
  }

  const email = options.email!;
  // Checked and counted in one step: parallel requests from one address cannot slip past it.
  const { waitMs } = await services.throttle.consume([{ raw: `alerta-ip:${options.ip}`, freeFailures: ALERTAS_POR_IP_LIBRES }], now);
  if (waitMs > 0) {
    throw demasiadosIntentos(waitMs, "alerta.demasiadas_solicitudes", `Demasiadas solicitudes. Espere ${formatWait(waitMs)} antes de volver a intentarlo.`);
  }
  const entity = await services.entidad.current();
  const sent = await db.transaction(async (tx) => {
    await lockCorreo(tx, email);
    // Links not used in time are dropped (their alerts never sent anything).
    await tx.delete(alertas).where(and(eq(alertas.email, email), isNull(alertas.confirmedAt), lt(alertas.createdAt, new Date(now.getTime() - CONFIRMACION_TTL_MS))));
    const [today] = await tx
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(alertas)
      .where(and(eq(alertas.email, email), isNull(alertas.postulanteId), gt(alertas.createdAt, new Date(now.getTime() - 24 * 3600_000))));
    if ((today?.n ?? 0) >= MAX_CONFIRMACIONES_POR_DIA) return false;
    const { token, hash } = newToken();
    const [row] = await tx
      .insert(alertas)
      .values({ email, ...busqueda, confirmacionHash: hash, createdAt: now })
      .returning({ id: alertas.id });
    const base = services.config.baseUrl;
    const subject = "Confirme su alerta de convocatorias – CAS Online";
    const query = busquedaQuery(busqueda);
    await enqueueMail(tx, {
      causeKey: `alerta-confirmar:${hash}`,
      to: email,
      subject,
      ...composeMail({
        entity,
        baseUrl: base,
        subject,
        greeting: "Hola:",
        blocks: [
          "Recibimos un pedido para enviarle a este correo, una vez al día, las convocatorias CAS que se publiquen y coincidan con esta búsqueda:",
          { list: describirBusqueda(busqueda) },
          "Para activar la alerta, abra este enlace (vale 7 días):",
          { link: `${base}/alertas/confirmar?token=${encodeURIComponent(token)}`, label: "Confirmar mi alerta" },
          { link: `${base}/convocatorias${query ? `?${query}` : ""}`, label: "Ver el listado con esta búsqueda" },
          { note: "Si usted no lo pidió, ignore este mensaje: no le enviaremos nada más." },
        ],
      }),
    });
    await audit(tx, { type: "system", id: null }, "alerta.creada", { type: "alerta", id: row!.id }, { porConfirmar: true });
    return true;
  });
  if (sent) services.mailWorker.kick();
  // No address in the log: whether one was sent is all it says.
  else logger.info("alert not created: the address had its confirmation e-mails for today");
  return { estado: "por_confirmar" };
}

/** The account an applicant's alert goes to: its address and whether it is verified. */
export async function cuentaParaAlerta(db: Deps["db"], postulanteId: string) {
  const row = await db.query.postulantes.findFirst({
    where: eq(postulantes.id, postulanteId),
    columns: { id: true, email: true, emailVerifiedAt: true },
  });
  return row ?? null;
}
