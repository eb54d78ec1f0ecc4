import { and, asc, eq, isNotNull, isNull, lt, lte } from "drizzle-orm";
import { alertas, postulantes } from "~/db/schema";
import { busquedaQuery, describirBusqueda } from "~/features/convocatorias/filtros.server";
import { listPublicadasEntre } from "~/features/convocatorias/list-convocatorias.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail, type MailBlock } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { cantidad, formatSoles } from "~/shared/format";
import { dateToLima, formatLima } from "~/shared/lima";
import { busquedaDeAlerta, enlaceBaja, proximoEnvio } from "./alerta.server";
import { CONFIRMACION_TTL_MS, MAX_CONVOCATORIAS_POR_CORREO } from "./limites";

type Deps = Pick<Services, "db" | "clock" | "config" | "mailWorker" | "entidad" | "logger">;

/**
 * A publication is read as new once this long has passed: a convocatoria's `published_at` is the
 * clock of its own transaction, which commits a moment later; the watermark stays this far
 * behind `now`, so a publication committing while a digest runs is in the next one, not lost.
 */
export const SETTLE_MS = 60_000;

/** How often each app process looks for due digests (they are due once a day, from HORA_ENVIO_LIMA). */
export const DIGEST_INTERVAL_MS = 10 * 60_000;

/**
 * The daily digests: every active alert whose `proximo_envio_at` has come gets ONE e-mail listing
 * the convocatorias the public list shows for its search that were published since its watermark
 * (`desde`), none when nothing matches; then its watermark and its next time move on.
 *
 * Once a day per alert, with any number of app processes: each alert is claimed in its own
 * transaction with `FOR UPDATE SKIP LOCKED` and re-checked as due under that lock, and the move of
 * `proximo_envio_at` commits with the outbox row; a second process skips the locked row and, once
 * committed, finds it not due. The cause key `alerta:<id>:<Lima date>` is the last guard (one
 * message per alert and day). Also deletes the alerts whose confirmation link expired.
 */
export async function sendAlertDigests(services: Deps): Promise<{ enviados: number; revisadas: number }> {
  const { db, clock, config } = services;
  const now = clock.now();
  await db.delete(alertas).where(and(isNull(alertas.confirmedAt), lt(alertas.createdAt, new Date(now.getTime() - CONFIRMACION_TTL_MS))));
  const entity = await services.entidad.current();
  const hasta = new Date(now.getTime() - SETTLE_MS);
  let enviados = 0;
  let revisadas = 0;
  for (;;) {
    const due = await db
      .select({ id: alertas.id })
      .from(alertas)
      .where(and(isNotNull(alertas.confirmedAt), lte(alertas.proximoEnvioAt, now)))
      .orderBy(asc(alertas.proximoEnvioAt))
      .limit(100);
    let claimed = 0;
    for (const { id } of due) {
      const sent = await db.transaction(async (tx) => {
        const [alerta] = await tx
          .select({ alerta: alertas, correoCuenta: postulantes.email })
          .from(alertas)
          .leftJoin(postulantes, eq(postulantes.id, alertas.postulanteId))
          .where(and(eq(alertas.id, id), isNotNull(alertas.confirmedAt), lte(alertas.proximoEnvioAt, now)))
          .for("update", { of: alertas, skipLocked: true });
        if (!alerta) return null;
        const a = alerta.alerta;
        const busqueda = busquedaDeAlerta(a);
        const desde = a.desde!;
        const nuevas =
          hasta > desde ? await listPublicadasEntre(tx, now, busqueda, { desde, hasta, limit: MAX_CONVOCATORIAS_POR_CORREO }) : { items: [], total: 0 };
        if (nuevas.total > 0) {
          // An applicant's alert follows the account's current address.
          const to = alerta.correoCuenta ?? a.email;
          const baja = enlaceBaja(config, a.id);
          const query = busquedaQuery(busqueda);
          const listado = `${config.baseUrl}/convocatorias${query ? `?${query}` : ""}`;
          const subject = `${cantidad(nuevas.total, "Nueva convocatoria", "Nuevas convocatorias")} para su alerta – CAS Online`;
          const blocks: MailBlock[] = [
            `Desde nuestro último aviso se ${nuevas.total === 1 ? "publicó 1 convocatoria" : `publicaron ${nuevas.total} convocatorias`} que coinciden con su alerta:`,
            { list: describirBusqueda(busqueda) },
            ...nuevas.items.flatMap((c): MailBlock[] => [
              { link: `${config.baseUrl}/convocatorias/${c.id}`, label: `${c.codigo} – ${c.puesto}` },
              `${c.unidadOrganica} · ${cantidad(c.vacantes, "vacante", "vacantes")} · ${formatSoles(c.remuneracion)}${
                c.postulacionFin ? ` · Postulación hasta el ${formatLima(c.postulacionFin)}` : ""
              }`,
            ]),
            ...(nuevas.total > nuevas.items.length
              ? [`Este correo muestra las primeras ${nuevas.items.length}; vea todas en el listado.`]
              : []),
            { link: listado, label: "Ver el listado con esta búsqueda" },
            { link: baja, label: "Cancelar esta alerta" },
            { note: "Recibe este correo porque creó esta alerta en CAS Online. Le escribimos como máximo una vez al día, y solo cuando hay convocatorias nuevas." },
          ];
          await enqueueMail(tx, {
            causeKey: `alerta:${a.id}:${dateToLima(now).fecha}`,
            to,
            subject,
            // RFC 8058: a mail client's "unsubscribe" POSTs "List-Unsubscribe=One-Click" to this address.
            headers: { "List-Unsubscribe": `<${baja}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
            ...composeMail({ entity, baseUrl: config.baseUrl, subject, greeting: "Hola:", blocks }),
          });
        }
        await tx
          .update(alertas)
          .set({
            desde: hasta > desde ? hasta : desde,
            proximoEnvioAt: proximoEnvio(now),
            ...(nuevas.total > 0 ? { lastSentAt: now } : {}),
          })
          .where(eq(alertas.id, a.id));
        return nuevas.total > 0;
      });
      if (sent === null) continue;
      claimed++;
      revisadas++;
      if (sent) enviados++;
    }
    // None left, or only rows another process holds right now (it moves them on).
    if (!claimed) break;
  }
  if (enviados) services.mailWorker.kick();
  if (revisadas) services.logger.info({ revisadas, enviados }, "alert digests");
  return { enviados, revisadas };
}

/**
 * Runs the digests in this process now and every DIGEST_INTERVAL_MS (the file sweeper's pattern;
 * several processes share the work through the row locks above). Started by the start command.
 */
export function startAlertDigests(services: Deps, intervalMs = DIGEST_INTERVAL_MS) {
  let running: Promise<unknown> | undefined;
  const tick = () => {
    running ??= sendAlertDigests(services)
      .catch((error) => services.logger.error({ err: (error as Error).message }, "alert digests failed; retried at the next pass"))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
