import { and, eq } from "drizzle-orm";
import { convocatorias, postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { audit } from "~/platform/audit.server";
import { logoForPdf } from "~/platform/entity-settings.server";
import { enqueueMail } from "~/platform/mail.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { buildConstanciaDesistimiento } from "./build-constancia.server";
import { desistimientoNoPermitido, noEncontrada, yaDesistida } from "./errors";
import { loadExpediente } from "./expediente.server";
import { constanciaDesistimientoKey } from "./keys";
import { findPostulacion } from "./start-postulacion.server";
import { deleteQuietly } from "./upload-documento.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante } from "./ventana.server";

export type Desistida = { postulacionId: string; numero: string; desistidaAt: Date };

/**
 * "Desistir de la postulación" (issue 17): the applicant's registrada postulación becomes
 * desistida — only its owner (the row is found by applicant and convocatoria), only while the
 * window is open by the server's clock, once. Nothing is deleted: the documents, the ficha, the
 * constancia de postulación and the history stay; the postulación leaves the evaluation (which
 * reads registradas only) and the unique (postulante, convocatoria) row means it is never
 * applied to again.
 *
 * The constancia de desistimiento is built and stored BEFORE the transaction (it carries the
 * time, taken first); then ONE transaction locks the row (FOR UPDATE), checks again that it is
 * registrada and that the window (read in the transaction: an extension or a closing counts)
 * is open at that time, records the state, the reason and the constancia, the audit row and the
 * outbox row (causeKey `postulacion-desistida:<id>`, the constancia attached). A refused or
 * losing attempt deletes its constancia.
 */
export async function desistirPostulacion(options: {
  services: Services;
  postulanteId: string;
  convocatoriaId: string;
  /** Already trimmed and bounded by the form's schema; empty = no reason given. */
  motivo: string | null;
}): Promise<Desistida> {
  const { services, postulanteId, convocatoriaId } = options;
  const { db, clock, storage, config } = services;
  const motivo = options.motivo?.trim() || null;
  const { convocatoria } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  const row = await findPostulacion(db, postulanteId, convocatoriaId);
  if (!row) throw noEncontrada();
  assertDesistible(row.estado);
  const now = clock.now();
  assertVentanaAbierta(convocatoria, now);

  const expediente = (await loadExpediente(db, row.id))!;
  const numero = row.numero!;
  const entity = await services.entidad.current();
  const key = constanciaDesistimientoKey(row.id);
  await storage.put(
    key,
    await buildConstanciaDesistimiento({
      entidad: entity.nombre,
      logo: await logoForPdf(storage, entity),
      numero,
      finalizadaAt: row.finalizadaAt!,
      desistidaAt: now,
      motivo,
      expediente,
      documentos: expediente.documentos.length,
    }),
  );
  const c = expediente.convocatoria;
  const subject = `Constancia de desistimiento — postulación N° ${numero} — ${c.codigo}`;
  const mensaje = composeMail({
    entity,
    baseUrl: config.baseUrl,
    subject,
    greeting: `Estimado(a) ${expediente.nombreCompleto}:`,
    blocks: [
      "Registramos su desistimiento de la postulación. Ya no participa en la evaluación de esta convocatoria.",
      {
        fields: [
          ["Número de postulación", numero],
          ["Convocatoria", `${c.codigo} — ${c.puesto}`],
          ["Fecha y hora de registro", `${formatLima(row.finalizadaAt!)} (hora de Lima)`],
          ["Fecha y hora de desistimiento", `${formatLima(now)} (hora de Lima)`],
          ["Motivo", motivo ?? "No indicó un motivo."],
        ],
      },
      "Su postulación no fue eliminada: sus documentos, la Ficha de Postulación, la constancia de postulación y el historial se conservan como registro. No es posible volver a postular a esta convocatoria.",
      "Adjuntamos la constancia de desistimiento (PDF). También puede descargarla en CAS Online (inicie sesión si se lo pide):",
      { link: `${config.baseUrl}/postulacion/${c.id}/desistida`, label: `Ver mi postulación N° ${numero}` },
    ],
  });

  let committed = false;
  try {
    await db.transaction(async (tx) => {
      const [locked] = await tx.select().from(postulaciones).where(eq(postulaciones.id, row.id)).for("update");
      assertDesistible(locked!.estado);
      const [ventana] = await tx.select().from(convocatorias).where(eq(convocatorias.id, convocatoria.id));
      assertVentanaAbierta(ventana!, now);
      await tx
        .update(postulaciones)
        .set({ estado: "desistida", desistidaAt: now, motivoDesistimiento: motivo, constanciaDesistimientoKey: key, updatedAt: now })
        .where(and(eq(postulaciones.id, row.id), eq(postulaciones.estado, "registrada")));
      await audit(tx, { type: "postulante", id: postulanteId }, "postulacion.desistida", { type: "postulacion", id: row.id }, {
        numero,
        conMotivo: motivo !== null,
      });
      await enqueueMail(tx, {
        causeKey: `postulacion-desistida:${row.id}`,
        to: expediente.postulante.email,
        subject,
        text: mensaje.text,
        html: mensaje.html,
        attachments: [{ filename: `constancia-desistimiento-${numero}.pdf`, storageKey: key, contentType: "application/pdf" }],
      });
    });
    committed = true;
  } finally {
    if (!committed) await deleteQuietly(services, [key]);
  }
  services.mailWorker.kick();
  return { postulacionId: row.id, numero, desistidaAt: now };
}

function assertDesistible(estado: (typeof postulaciones.$inferSelect)["estado"]): void {
  if (estado === "en_registro") throw desistimientoNoPermitido();
  if (estado === "desistida") throw yaDesistida();
}
