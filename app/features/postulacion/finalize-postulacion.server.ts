import { and, eq, sql } from "drizzle-orm";
import { postulaciones } from "~/db/schema";
import { dateToLima, formatLima } from "~/shared/lima";
import { audit } from "~/platform/audit.server";
import { logoForPdf } from "~/platform/entity-settings.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { buildConstancia } from "./build-constancia.server";
import { AppError } from "~/shared/app-error";
import { confirmarField, confirmarMessage, DECLARACION_FALTA, noEncontrada, yaDesistida } from "./errors";
import { loadExpediente } from "./expediente.server";
import { constanciaKey } from "./keys";
import { findPostulacion } from "./start-postulacion.server";
import { deleteQuietly } from "./upload-documento.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante } from "./ventana.server";

export type Finalizada = { postulacionId: string; numero: string; finalizadaAt: Date; yaRegistrada: boolean };

export const DOCUMENTOS_CAMBIARON =
  "Sus documentos cambiaron mientras finalizaba la postulación. Revise la lista y vuelva a intentarlo.";

/**
 * "Aceptar" (seed 2.1.5): the postulación becomes registrada, once.
 *
 * The checks are repeated by the server (declaration, the message's checkbox, the window,
 * every required type uploaded and confirmed). The constancia is generated and stored
 * BEFORE the transaction (it carries the number and time, taken first); then ONE
 * transaction: a conditional UPDATE (only from en_registro, only with the documents of
 * the version the constancia lists, only inside the window by the server's clock, only
 * when every required type is confirmed) that sets the number, the times and the
 * constancia, the audit row and the outbox row (causeKey `postulacion-registrada:<id>`,
 * the constancia attached). A repeated or concurrent "Aceptar" gets the same number and
 * no second e-mail; a losing attempt's constancia is deleted.
 */
export async function finalizePostulacion(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  declaracion: boolean;
  acepto: boolean;
  soloVerificar?: false;
}): Promise<Finalizada>;
export async function finalizePostulacion(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  declaracion: boolean;
  acepto?: boolean;
  soloVerificar: true;
}): Promise<Finalizada | null>;
export async function finalizePostulacion(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  declaracion: boolean;
  acepto?: boolean;
  soloVerificar?: boolean;
}): Promise<Finalizada | null> {
  const { services, postulanteId, convocatoriaId } = options;
  const { db, clock, storage, config } = services;
  const { convocatoria, tipos } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  const draft = await findPostulacion(db, postulanteId, convocatoriaId);
  if (!draft) throw new AppError("postulacion.sin_documentos", "Aún no ha cargado ningún documento.", { field: "archivo", logCause: "no draft" });
  if (draft.estado === "registrada") return registered(draft, true);
  // A desistida postulación is never registered again (docs/postulacion.md, "Desistimiento").
  if (draft.estado === "desistida") throw yaDesistida();

  const now = clock.now();
  assertVentanaAbierta(convocatoria, now);

  // Everything still missing is named at once (each type not uploaded, each document not
  // confirmed, the declaration), so that one answer is enough to put it all right.
  const expediente = (await loadExpediente(db, draft.id))!;
  const version = expediente.postulacion.documentosVersion;
  const requeridos = tipos.filter((t) => t.requerido).map((t) => t.code);
  const faltan = tipos.filter((t) => t.requerido && !expediente.documentos.some((d) => d.tipo === t.code));
  const pendientes: Record<string, string> = {};
  if (faltan.length) pendientes.archivo = `Falta cargar: ${faltan.map((t) => t.label).join(", ")}.`;
  for (const d of expediente.documentos) {
    // A type with several files names the file too.
    const varios = expediente.documentos.filter((x) => x.tipo === d.tipo).length > 1;
    if (!d.confirmadoAt) pendientes[confirmarField(d.id)] = confirmarMessage(varios ? `${d.tipoNombre} (${d.filename})` : d.tipoNombre);
  }
  if (!options.declaracion) pendientes.declaracion = DECLARACION_FALTA;
  const campos = Object.keys(pendientes);
  if (campos.length) {
    const causes = [
      faltan.length ? "required types missing" : "",
      campos.some((k) => k.startsWith("confirmar-")) ? "documents not confirmed" : "",
      options.declaracion ? "" : "declaration missing",
    ];
    throw new AppError("postulacion.incompleta", Object.values(pendientes).join(" "), { field: campos[0]!, fields: pendientes, logCause: causes.filter(Boolean).join(", ") });
  }
  // "Guardar y Finalizar Postulación" only checks; "Aceptar" (the confirmation message) finalizes.
  if (options.soloVerificar) return null;
  if (!options.acepto) {
    throw new AppError("postulacion.sin_aceptar", "Marque la casilla del mensaje de confirmación para continuar.", { field: "acepto", logCause: "not accepted" });
  }

  const seq = await db.execute<{ n: string }>(sql`select nextval('postulacion_numero_seq')::text as n`);
  const n = (seq as unknown as { rows: { n: string }[] }).rows[0]!.n;
  const numero = `${dateToLima(now).fecha.slice(0, 4)}-${n.padStart(6, "0")}`;
  // The message is composed before the transaction, which only inserts it (kept short for the deadline rush).
  const c = expediente.convocatoria;
  const entity = await services.entidad.current();
  const subject = `Postulación registrada N° ${numero} — ${c.codigo}`;
  const mensaje = {
    subject,
    ...composeMail({
      entity,
      baseUrl: config.baseUrl,
      subject,
      greeting: `Estimado(a) ${expediente.nombreCompleto}:`,
      blocks: [
        "Su postulación ha sido registrada satisfactoriamente.",
        {
          fields: [
            ["Número de postulación", numero],
            ["Fecha y hora de registro", `${formatLima(now)} (hora de Lima)`],
            ["Convocatoria", `${c.codigo} — ${c.puesto}`],
          ],
        },
        "Documentos recibidos:",
        {
          list: expediente.documentos.map(
            (d) => `${d.tipoNombre}: ${d.filename} (${d.pages} ${d.pages === 1 ? "página" : "páginas"}; SHA-256 ${d.sha256})`,
          ),
        },
        "Adjuntamos la constancia de postulación (PDF). Su postulación, con la constancia y la Ficha de Postulación, está en CAS Online (inicie sesión si se lo pide):",
        { link: `${config.baseUrl}/postulacion/${c.id}/confirmada`, label: `Ver mi postulación N° ${numero}` },
      ],
    }),
  };

  const key = constanciaKey(draft.id);
  await storage.put(
    key,
    await buildConstancia({ entidad: entity.nombre, logo: await logoForPdf(storage, entity), numero, finalizadaAt: now, expediente, documentos: expediente.documentos }),
  );

  let committed = false;
  try {
    const done = await db.transaction(async (tx) => {
      const requiredOk = requeridos.length
        ? sql`not exists (
            select 1 from (values ${sql.join(
              requeridos.map((code) => sql`(${code})`),
              sql`, `,
            )}) as r(tipo)
            where not exists (
              select 1 from documentos d
              where d.postulacion_id = ${postulaciones.id} and d.tipo = r.tipo and d.confirmado_at is not null))`
        : sql`true`;
      const [row] = await tx
        .update(postulaciones)
        .set({ estado: "registrada", numero, finalizadaAt: now, declaracionAt: now, constanciaKey: key, updatedAt: now })
        .where(
          and(
            eq(postulaciones.id, draft.id),
            eq(postulaciones.postulanteId, postulanteId),
            eq(postulaciones.estado, "en_registro"),
            eq(postulaciones.documentosVersion, version),
            sql`exists (
              select 1 from convocatorias c
              where c.id = ${postulaciones.convocatoriaId} and c.estado = 'publicada'
                and c.postulacion_inicio <= ${now.toISOString()}::timestamptz
                and ${now.toISOString()}::timestamptz < c.postulacion_fin)`,
            requiredOk,
            sql`not exists (select 1 from documentos d where d.postulacion_id = ${postulaciones.id} and d.confirmado_at is null)`,
          ),
        )
        .returning();
      if (!row) return null;
      await audit(tx, { type: "postulante", id: postulanteId }, "postulacion.registrada", { type: "postulacion", id: row.id }, {
        numero,
        documentosVersion: version,
        documentos: expediente.documentos.map((d) => ({ tipo: d.tipo, sha256: d.sha256, pages: d.pages })),
      });
      await enqueueMail(tx, {
        causeKey: `postulacion-registrada:${row.id}`,
        to: expediente.postulante.email,
        subject: mensaje.subject,
        text: mensaje.text,
        html: mensaje.html,
        attachments: [{ filename: `constancia-${numero}.pdf`, storageKey: key, contentType: "application/pdf" }],
      });
      return row;
    });
    if (done) {
      committed = true;
      services.mailWorker.kick();
      return registered(done, false);
    }
  } finally {
    if (!committed) await deleteQuietly(services, [key]);
  }

  // Nothing changed: find out why, from the row as it is now.
  const current = await findPostulacion(db, postulanteId, convocatoriaId);
  if (!current) throw noEncontrada();
  if (current.estado === "registrada") return registered(current, true);
  if (current.estado === "desistida") throw yaDesistida();
  if (current.documentosVersion !== version) {
    throw new AppError("postulacion.documentos_cambiaron", DOCUMENTOS_CAMBIARON, { status: 409, logCause: "documents changed during finalization" });
  }
  assertVentanaAbierta(convocatoria, clock.now());
  throw new AppError("postulacion.documentos_cambiaron", DOCUMENTOS_CAMBIARON, { status: 409, logCause: "conditions changed during finalization" });
}

function registered(row: typeof postulaciones.$inferSelect, ya: boolean): Finalizada {
  return { postulacionId: row.id, numero: row.numero!, finalizadaAt: row.finalizadaAt!, yaRegistrada: ya };
}
