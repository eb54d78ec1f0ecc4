/**
 * The bounds of the alerts (docs/convocatorias.md, "Alertas"), so nobody can use them to
 * flood a mailbox, the applicant's own or a stranger's.
 */

/** Active alerts per address: more searches than a person follows, few enough to keep digests short. */
export const MAX_ALERTAS_POR_CORREO = 10;

/**
 * Confirmation e-mails per address in 24 hours: the only mail an address gets before its owner
 * confirms, so a stranger typing it can cause at most this many a day.
 */
export const MAX_CONFIRMACIONES_POR_DIA = 3;

/** Alerts asked for from one IP address in an hour before the throttle's doubling wait (an office shares one). */
export const ALERTAS_POR_IP_LIBRES = 10;

/** How long a confirmation link works; an alert not confirmed by then is deleted. */
export const CONFIRMACION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Convocatorias listed in one digest; the rest are one link away (the list with the search). */
export const MAX_CONVOCATORIAS_POR_CORREO = 30;

/** The Lima hour after which a day's digest is sent. */
export const HORA_ENVIO_LIMA = 7;
