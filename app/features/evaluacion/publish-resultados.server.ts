import { createHash } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { evaluacionEtapas, outbox, publicaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { readEntitySettings } from "~/platform/entity-settings.server";
import { composeMail } from "~/platform/mail-template.server";
import type { Services } from "~/platform/services.server";
import { newStorageKey } from "~/platform/storage.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion, type EvaluacionCargada } from "./load-evaluacion.server";
import { AppError } from "~/shared/app-error";
import { etapaNoEncontrada } from "./errors";
import { etapaOr404 } from "./etapa.server";
import { CONDICION_LABEL } from "./etiquetas";
import { enmascararDocumento, formatPuntaje } from "./numeros";
import { assertPostulacionTerminada } from "./plazo";
import { tablaPdf, type TablaPdf } from "./resultados-pdf.server";

/** One row of a published list, as stored (postulacionId never leaves the server). */
export type FilaPublicada = {
  postulacionId: string;
  /** Full name or masked document, per the convocatoria's setting at publication time. */
  identificacion: string;
  orden?: number;
  /** Stage list: the stage average; final list: the final score. Hundredths; null for NO APTO before the last stage. */
  puntaje: number | null;
  /** Final list: each stage's average (hundredths), in stage order. */
  etapas?: (number | null)[];
  base?: number | null;
  bonificacionPct?: number;
  bonificacion?: number;
  resultado: "APTO" | "NO APTO" | "GANADOR" | "ACCESITARIO";
  /** Final list, NO APTO: the stage at which the applicant was eliminated (its name). */
  etapaNoApto?: string;
};

type Alcance = { etapaId: string } | "final";

/** The rows of a list as it would be published now; throws when it cannot be published yet. */
export function filasParaPublicar(ev: EvaluacionCargada, alcance: Alcance): { titulo: string; filas: FilaPublicada[] } {
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const ident = (id: string) => {
    const p = byId.get(id)!;
    return ev.config.publicarComo === "nombres" ? p.nombre : enmascararDocumento(p.numeroDocumento);
  };
  if (alcance === "final") {
    const abiertas = ev.etapas.filter((e) => e.estado !== "publicada");
    if (abiertas.length)
      throw new AppError(
        "evaluacion.etapas_sin_publicar",
        `Antes de publicar el resultado final publique los resultados de: ${abiertas.map((e) => e.nombre).join(", ")}.`,
        { status: 409, logCause: "final before every stage published" },
      );
    const final = ev.final!;
    const pendiente = final.empates.find((e) => !e.resuelto);
    if (pendiente)
      throw new AppError(
        "evaluacion.empate_sin_resolver",
        `Hay un empate con puntaje final ${formatPuntaje(pendiente.puntaje)} en el límite de las vacantes. Registre cómo lo resolvió el comité antes de publicar.`,
        { status: 409, logCause: "unresolved tie" },
      );
    const orden = ev.calculadas.map((e) => e.id);
    const nombreEtapa = new Map(ev.calculadas.map((e) => [e.id, e.nombre]));
    return {
      titulo: "Resultado final",
      filas: final.resultados.map((r) => ({
        postulacionId: r.postulacionId,
        identificacion: ident(r.postulacionId),
        ...(r.orden != null ? { orden: r.orden } : {}),
        puntaje: r.final,
        etapas: orden.map((id) => r.etapas[id] ?? null),
        base: r.base,
        bonificacionPct: r.bonificacionPct,
        bonificacion: r.bonificacion,
        resultado: CONDICION_LABEL[r.condicion],
        ...(r.condicion === "no_apto" && r.eliminadoEn ? { etapaNoApto: nombreEtapa.get(r.eliminadoEn) } : {}),
      })),
    };
  }
  const idx = ev.calculadas.findIndex((e) => e.id === alcance.etapaId);
  const etapa = ev.calculadas[idx];
  if (!etapa) throw etapaNoEncontrada();
  const previa = ev.calculadas.slice(0, idx).find((e) => e.estado !== "publicada");
  if (previa)
    throw new AppError("evaluacion.etapa_anterior_sin_publicar", `Publique primero los resultados de ${previa.nombre}.`, { status: 409, logCause: "previous stage not published" });
  if (!etapa.evaluadores.length)
    throw new AppError("evaluacion.sin_evaluadores", `${etapa.nombre} no tiene evaluadores asignados.`, { status: 409, logCause: "no evaluadores" });
  if (etapa.faltantes > 0)
    throw new AppError(
      "evaluacion.faltan_puntajes",
      `Faltan puntajes: ${etapa.faltantes} ${etapa.faltantes === 1 ? "postulación no tiene" : "postulaciones no tienen"} la calificación de todos sus evaluadores en ${etapa.nombre}. No se publicó nada.`,
      { status: 409, logCause: "missing scores" },
    );
  const filas = etapa.resultados
    .map((r) => ({
      postulacionId: r.postulacionId,
      identificacion: ident(r.postulacionId),
      puntaje: r.promedio,
      resultado: (r.apto ? "APTO" : "NO APTO") as FilaPublicada["resultado"],
    }))
    .sort((a, b) => (b.puntaje ?? 0) - (a.puntaje ?? 0) || a.identificacion.localeCompare(b.identificacion, "es"));
  return { titulo: `Resultados de ${etapa.nombre}`, filas };
}

/** A4 width less the margins, in points: what a list's columns share. */
const ANCHO_TABLA = 515;

/**
 * The published list as the PDF's table: the entity's name, the title, the position, the date,
 * the acta's reference, the reason of a new version and, on the final list, each tie's
 * criterion as the committee recorded it; headers that wrap (never cut) and, on the final
 * list, each NO APTO with the stage at which it was eliminated.
 */
export function tablaResultados(o: {
  ev: EvaluacionCargada;
  alcance: Alcance;
  titulo: string;
  filas: FilaPublicada[];
  version: number;
  motivo: string | null;
  referenciaActa: string | null;
  entidad: string;
  publicadoEl: string;
}): TablaPdf {
  const c = o.ev.convocatoria;
  const final = o.alcance === "final";
  const derecha = "derecha" as const;
  const columnas = final
    ? (() => {
        const resto = [
          ...o.ev.calculadas.map((e) => ({ titulo: e.nombre, ancho: 54, alinear: derecha })),
          { titulo: "Bonificación", ancho: 56, alinear: derecha },
          { titulo: "Puntaje final", ancho: 46, alinear: derecha },
          { titulo: "Resultado", ancho: 130 },
        ];
        const usado = 24 + resto.reduce((a, x) => a + x.ancho, 0);
        return [{ titulo: "N°", ancho: 24 }, { titulo: "Postulante", ancho: Math.max(90, ANCHO_TABLA - usado) }, ...resto];
      })()
    : [
        { titulo: "N°", ancho: 30 },
        { titulo: "Postulante", ancho: 300 },
        { titulo: "Puntaje", ancho: 80, alinear: derecha },
        { titulo: "Resultado", ancho: 105 },
      ];
  const desempates = final
    ? (o.ev.final?.empates ?? []).filter((t) => t.resuelto).map((t) => `Criterio de desempate (puntaje final ${formatPuntaje(t.puntaje)}): ${t.resuelto!.nota}`)
    : [];
  return {
    entidad: o.entidad,
    titulo: `${o.titulo} — ${c.codigo}`,
    subtitulo: [
      `Puesto: ${c.puesto} · ${c.unidadOrganica}`,
      `Publicado el ${o.publicadoEl} (hora de Lima) · versión ${o.version}`,
      ...(o.referenciaActa ? [`Referencia del acta: ${o.referenciaActa}`] : []),
      ...(o.motivo ? [`Motivo de la nueva publicación: ${o.motivo}`] : []),
      ...desempates,
    ],
    columnas,
    filas: o.filas.map((f, i) =>
      final
        ? [
            String(f.orden ?? "—"),
            f.identificacion,
            ...(f.etapas ?? []).map((h) => formatPuntaje(h)),
            f.bonificacion ? `${f.bonificacionPct} %` : "—",
            formatPuntaje(f.puntaje),
            f.etapaNoApto ? `${f.resultado} (${f.etapaNoApto})` : f.resultado,
          ]
        : [String(i + 1), f.identificacion, formatPuntaje(f.puntaje), f.resultado],
    ),
    pie: `${o.entidad} · ${c.codigo}`,
  };
}

/** What a row says publicly, without who it is about (a changed display setting is no news). */
const hechos = ({ postulacionId: _p, identificacion: _i, ...rest }: FilaPublicada) => JSON.stringify(rest);

/**
 * Whom a publication tells: everyone in a first version; in a fe de erratas (a later version),
 * only those whose row changed, who are new to the list, or who left it (`fila: null`).
 */
export function destinatariosDe(anteriores: FilaPublicada[] | null, filas: FilaPublicada[]): { postulacionId: string; fila: FilaPublicada | null }[] {
  if (!anteriores) return filas.map((f) => ({ postulacionId: f.postulacionId, fila: f }));
  const antes = new Map(anteriores.map((f) => [f.postulacionId, hechos(f)]));
  const ahora = new Set(filas.map((f) => f.postulacionId));
  return [
    ...filas.filter((f) => antes.get(f.postulacionId) !== hechos(f)).map((f) => ({ postulacionId: f.postulacionId, fila: f })),
    ...anteriores.filter((f) => !ahora.has(f.postulacionId)).map((f) => ({ postulacionId: f.postulacionId, fila: null })),
  ];
}

/** The fingerprint of the rows a preview showed: the confirmation publishes only those. */
export const huellaDe = (filas: FilaPublicada[]) => createHash("sha256").update(JSON.stringify(filas)).digest("hex");

/** The latest published version of a list (its number and rows), or null. */
async function ultimaVersion(db: Db, convocatoriaId: string, alcanceKey: string) {
  const [prev] = await db
    .select({ version: publicaciones.version, filas: publicaciones.filas })
    .from(publicaciones)
    .where(and(eq(publicaciones.convocatoriaId, convocatoriaId), eq(publicaciones.alcance, alcanceKey)))
    .orderBy(desc(publicaciones.version))
    .limit(1);
  return prev ? { version: prev.version, filas: prev.filas as FilaPublicada[] } : null;
}

/**
 * Publishes (or republishes, as a new version with its reason) a stage's list or the final
 * one, inside the caller's transaction: the snapshot, its PDF, the stage's state, one e-mail
 * per applicant in the list (outbox, cause = publication + postulación) and the audit row.
 */
export async function publicarEnTx(
  tx: Db,
  services: Pick<Services, "storage" | "clock" | "config">,
  options: { convocatoriaId: string; alcance: Alcance; actorId: string; motivo: string | null; referenciaActa?: string | null; huella?: string },
): Promise<{ publicacionId: string; version: number; destinatarios: number }> {
  const now = services.clock.now();
  // Read through the transaction (Datos de la entidad; ENTITY_NAME when none is stored).
  const entity = await readEntitySettings(tx, services.config.entityName);
  const ev = await loadEvaluacion(tx, options.convocatoriaId);
  assertPostulacionTerminada(ev.convocatoria, now);
  const { titulo, filas } = filasParaPublicar(ev, options.alcance);
  if (options.huella !== undefined && options.huella !== huellaDe(filas))
    throw new AppError(
      "evaluacion.cambio_tras_vista_previa",
      "Los resultados cambiaron después de la vista previa (un puntaje, una bonificación o un desempate). Revise la vista previa actual antes de publicar.",
      { status: 409, logCause: "rows changed since the preview" },
    );
  const alcanceKey = options.alcance === "final" ? "final" : options.alcance.etapaId;
  const etapaId = options.alcance === "final" ? null : options.alcance.etapaId;
  // One publisher at a time per list: the version number comes from the previous one.
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`publicacion:${options.convocatoriaId}:${alcanceKey}`}))`);
  const prev = await ultimaVersion(tx, options.convocatoriaId, alcanceKey);
  const version = (prev?.version ?? 0) + 1;
  const motivo = options.motivo?.trim() || null;
  if (version > 1 && !motivo)
    throw new AppError(
      "evaluacion.motivo_requerido",
      "Esta lista ya fue publicada. Indique el motivo de la nueva publicación.",
      { field: "motivo", logCause: "republish without reason" },
    );

  const c = ev.convocatoria;
  const referenciaActa = options.referenciaActa?.trim() || null;
  const pdf = await tablaPdf(
    tablaResultados({ ev, alcance: options.alcance, titulo, filas, version, motivo, referenciaActa, entidad: entity.nombre, publicadoEl: formatLima(now) }),
  );
  const stored = await services.storage.put(newStorageKey(`resultados/${c.id}`), pdf);

  const [pub] = await tx
    .insert(publicaciones)
    .values({
      convocatoriaId: c.id,
      etapaId,
      alcance: alcanceKey,
      version,
      titulo,
      filas,
      motivo,
      pdfKey: stored.key,
      pdfSha256: stored.sha256,
      pdfSize: stored.size,
      publishedAt: now,
      publishedBy: options.actorId,
    })
    .returning({ id: publicaciones.id });
  if (etapaId) {
    await tx
      .update(evaluacionEtapas)
      .set({
        estado: "publicada",
        publishedAt: now,
        publishedBy: options.actorId,
        closedAt: sql`coalesce(${evaluacionEtapas.closedAt}, ${now.toISOString()}::timestamptz)`,
        closedBy: sql`coalesce(${evaluacionEtapas.closedBy}, ${options.actorId}::uuid)`,
        updatedAt: now,
      })
      .where(eq(evaluacionEtapas.id, etapaId));
  }

  // One e-mail per applicant the publication concerns (all of a first version; those whose
  // row changed in a fe de erratas), in batches (a list may have thousands).
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const base = services.config.baseUrl;
  const destinatarios = destinatariosDe(prev?.filas ?? null, filas).filter((d) => byId.has(d.postulacionId));
  const mail = ({ postulacionId, fila: f }: (typeof destinatarios)[number]) => {
    const p = byId.get(postulacionId)!;
    const nombres = p.nombre.split(", ").at(-1);
    const detalle = !f ? "ya no figura en esta lista" : f.puntaje != null ? `${f.resultado} — puntaje ${formatPuntaje(f.puntaje)}` : f.resultado;
    const subject = `${version > 1 ? "Fe de erratas: " : ""}${titulo} — ${c.codigo}`;
    return {
      causeKey: `resultados:${pub!.id}:${p.id}`,
      to: p.email,
      subject,
      ...composeMail({
        entity,
        baseUrl: base,
        subject,
        greeting: `Estimado(a) ${nombres}:`,
        blocks: [
          `Se ${version > 1 ? "volvieron a publicar" : "publicaron"} los resultados (${titulo.toLowerCase()}) de la convocatoria ${c.codigo} — ${c.puesto}.`,
          `Postulación N° ${p.numero}: ${detalle}.`,
          ...(motivo ? [`Esta publicación (fe de erratas, versión ${version}) corrige la anterior, que sigue publicada como corregida. Motivo: ${motivo}`] : []),
          { link: `${base}/convocatorias/${c.id}`, label: `Lista completa de resultados de ${c.codigo}` },
          { link: `${base}/mis-postulaciones`, label: "Estado de mis postulaciones" },
        ],
      }),
    };
  };
  // Composed a batch at a time: each HTML part is a React render, and thousands at once would hold the event loop.
  for (let i = 0; i < destinatarios.length; i += 200) {
    await tx.insert(outbox).values(destinatarios.slice(i, i + 200).map(mail)).onConflictDoNothing({ target: outbox.causeKey });
  }
  await auditar(tx, options.actorId, "evaluacion.resultados_publicados", { type: "convocatoria", id: c.id }, {
    alcance: alcanceKey,
    version,
    motivo,
    filas: filas.length,
    publicacionId: pub!.id,
    referenciaActa,
    notificados: destinatarios.length,
  });
  return { publicacionId: pub!.id, version, destinatarios: destinatarios.length };
}

/**
 * The gestor publishes a stage's results (closing the stage when it is complete) or the
 * final results. A list already published is published again as a new version, with a reason.
 * Each applicant in the list gets an e-mail (outbox) once the transaction commits.
 */
export async function publishResultados(options: {
  services: Pick<Services, "db" | "clock" | "storage" | "config" | "mailWorker">;
  actorId: string;
  convocatoriaId: string;
  alcance: Alcance;
  motivo: string | null;
  /** The committee's acta (or other reference), printed in the PDF; optional. */
  referenciaActa?: string | null;
  /** The preview's fingerprint (huellaDe): rows that changed since are not published unseen. */
  huella?: string;
}) {
  const { db } = options.services;
  const result = await db.transaction(async (tx) => {
    if (options.alcance !== "final") {
      const etapa = await etapaOr404(tx, options.alcance.etapaId, true);
      if (etapa.convocatoriaId !== options.convocatoriaId) throw new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa.", { status: 404, logCause: "stage of another convocatoria" });
    }
    return publicarEnTx(tx, options.services, options);
  });
  options.services.mailWorker.kick();
  return result;
}

/** A list as it would be published now, and the version it would follow (the preview and its PDF read the same). */
async function listaAhora(db: Db, now: Date, convocatoriaId: string, alcance: Alcance) {
  const ev = await loadEvaluacion(db, convocatoriaId);
  assertPostulacionTerminada(ev.convocatoria, now);
  const { titulo, filas } = filasParaPublicar(ev, alcance);
  const prev = await ultimaVersion(db, convocatoriaId, alcance === "final" ? "final" : alcance.etapaId);
  return { ev, titulo, filas, prev };
}

/**
 * The preview before "Publicar resultados" / "Publicar resultado final": the list exactly as it
 * would be published now (its rows and, through `previewResultadosPdf`, its PDF), its version,
 * whom it e-mails (everyone in a first version; in a fe de erratas those whose row changed) and
 * the fingerprint the confirmation carries. Refused as publishing would be (missing scores, a
 * tie, the window still open…), with the same words. Writes nothing.
 */
export async function previewResultados(options: { services: Pick<Services, "db" | "clock">; convocatoriaId: string; alcance: Alcance }) {
  const { db } = options.services;
  if (options.alcance !== "final") {
    const etapa = await etapaOr404(db, options.alcance.etapaId, false);
    if (etapa.convocatoriaId !== options.convocatoriaId) throw new AppError("evaluacion.etapa_no_encontrada", "No encontramos la etapa.", { status: 404, logCause: "stage of another convocatoria" });
  }
  const { ev, titulo, filas, prev } = await listaAhora(db, options.services.clock.now(), options.convocatoriaId, options.alcance);
  const destinatarios = destinatariosDe(prev?.filas ?? null, filas);
  const nombre = new Map(ev.postulaciones.map((p) => [p.id, p.nombre]));
  return {
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto },
    titulo,
    alcance: options.alcance === "final" ? "final" : options.alcance.etapaId,
    version: (prev?.version ?? 0) + 1,
    /** For the final list's columns: the stages' names in order. */
    etapas: options.alcance === "final" ? ev.calculadas.map((e) => e.nombre) : [],
    /** The public rows (no ids leave the server). */
    filas: filas.map(({ postulacionId: _omit, ...rest }) => rest),
    huella: huellaDe(filas),
    destinatarios: destinatarios.length,
    /** A fe de erratas: whose row changes (names for the HR office; the public page shows none). */
    cambian: prev ? destinatarios.map((d) => nombre.get(d.postulacionId) ?? "—") : [],
  };
}

/** The PDF the preview's list would be published with (its version, motivo and acta), built now; nothing stored. */
export async function previewResultadosPdf(options: {
  services: Pick<Services, "db" | "clock" | "config">;
  convocatoriaId: string;
  alcance: Alcance;
  motivo: string | null;
  referenciaActa: string | null;
}): Promise<{ pdf: Uint8Array; filename: string }> {
  const { db, clock, config } = options.services;
  const now = clock.now();
  const { ev, titulo, filas, prev } = await listaAhora(db, now, options.convocatoriaId, options.alcance);
  const entity = await readEntitySettings(db, config.entityName);
  const pdf = await tablaPdf(
    tablaResultados({
      ev, alcance: options.alcance, titulo, filas, version: (prev?.version ?? 0) + 1,
      motivo: options.motivo?.trim() || null, referenciaActa: options.referenciaActa?.trim() || null,
      entidad: entity.nombre, publicadoEl: formatLima(now),
    }),
  );
  return { pdf, filename: `Vista previa - ${titulo} - ${ev.convocatoria.codigo}.pdf` };
}
