import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import { ZipArchive } from "archiver";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { postulaciones, postulantes } from "~/db/schema";
import type { Logger } from "~/platform/logger.server";
import type { Services } from "~/platform/services.server";
import { buildFicha, fichaVigente } from "~/features/postulacion/build-ficha.server";
import { auditar } from "./auditoria.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { situaciones } from "./situacion.server";

/**
 * The exports of a convocatoria's postulaciones, streamed (app/web/download.server.ts sends them)
 * so memory does not grow with their size: rows and files are read in batches and written as they go.
 */
const BATCH = 500;
const safeName = (s: string) => s.normalize("NFD").replace(/[^\w-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");

/** An export as it is sent: a stream written as rows and files are read, its type and file name. */
export type Export = { body: Readable; contentType: string; filename: string };

/** The workbook: one row per finalized postulación with the applicant's data, each stage's score and the result. */
export async function exportarExcel(options: { services: Pick<Services, "db">; logger: Logger; actorId: string; convocatoriaId: string }): Promise<Export> {
  const { db } = options.services;
  const ev = await loadEvaluacion(db, options.convocatoriaId);
  const sit = situaciones(ev);
  await auditar(db, options.actorId, "postulaciones.exportadas", { type: "convocatoria", id: ev.convocatoria.id }, { formato: "xlsx", filas: ev.postulaciones.length });
  const body = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, useStyles: false, useSharedStrings: false });
  const ws = wb.addWorksheet("Postulaciones");
  ws.columns = [
    { header: "N° de postulación", key: "numero", width: 14 },
    { header: "Registrada (hora de Lima)", key: "fecha", width: 20 },
    { header: "Tipo de documento", key: "tipo", width: 10 },
    { header: "Número de documento", key: "doc", width: 14 },
    { header: "Apellidos y nombres", key: "nombre", width: 36 },
    { header: "Fecha de nacimiento", key: "nac", width: 12 },
    { header: "Sexo", key: "sexo", width: 5 },
    { header: "Correo electrónico", key: "email", width: 30 },
    { header: "Celular", key: "celular", width: 12 },
    { header: "Dirección", key: "direccion", width: 30 },
    { header: "Ubigeo", key: "ubigeo", width: 8 },
    ...ev.calculadas.map((e) => ({ header: e.nombre, key: `e_${e.id}`, width: 12 })),
    { header: "Bonificación (%)", key: "bono", width: 10 },
    { header: "Puntaje", key: "puntaje", width: 10 },
    { header: "Estado", key: "estado", width: 28 },
  ];
  const lima = new Intl.DateTimeFormat("es-PE", { timeZone: "America/Lima", dateStyle: "short", timeStyle: "short" });
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  void (async () => {
    try {
      const ids = ev.postulaciones.map((p) => p.id);
      for (let i = 0; i < ids.length; i += BATCH) {
        const chunk = ids.slice(i, i + BATCH);
        const extra = await db
          .select({ id: postulaciones.id, fechaNacimiento: postulantes.fechaNacimiento, sexo: postulantes.sexo, celular: postulantes.celular, direccion: postulantes.direccion, ubigeo: postulantes.ubigeo })
          .from(postulaciones)
          .innerJoin(postulantes, eq(postulantes.id, postulaciones.postulanteId))
          .where(inArray(postulaciones.id, chunk));
        const extraById = new Map(extra.map((x) => [x.id, x]));
        for (const id of chunk) {
          const p = byId.get(id)!;
          const x = extraById.get(id)!;
          const s = sit.get(id)!;
          ws.addRow({
            numero: p.numero,
            fecha: lima.format(p.finalizadaAt),
            tipo: p.tipoDocumento,
            doc: p.numeroDocumento,
            nombre: p.nombre,
            nac: x.fechaNacimiento,
            sexo: x.sexo,
            email: p.email,
            celular: x.celular,
            direccion: x.direccion,
            ubigeo: x.ubigeo ?? "",
            ...Object.fromEntries(ev.calculadas.map((e) => [`e_${e.id}`, s.etapas[e.id] == null ? null : s.etapas[e.id]! / 100])),
            bono: s.bonificacionPct || null,
            puntaje: s.puntaje == null ? null : s.puntaje / 100,
            estado: s.etiqueta,
          }).commit();
        }
        // Let the response drain between batches.
        if (body.writableNeedDrain) await once(body, "drain");
      }
      ws.commit();
      await wb.commit();
    } catch (error) {
      options.logger.error({ err: error }, "excel export failed");
      body.destroy(error as Error);
    }
  })();
  return { body, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename: `postulaciones-${safeName(ev.convocatoria.codigo)}.xlsx` };
}

/**
 * A ZIP of the registered fichas, one stored PDF after another (a file is opened only when the
 * previous one is in the archive). A postulación without a vigente registered ficha (never
 * built, or only its draft from before "Aceptar") gets it built first, one at a time, as the
 * expediente would; one that cannot be built is listed in LEAME.txt.
 */
export async function exportarFichas(options: { services: Services; logger: Logger; actorId: string; convocatoriaId: string }): Promise<Export | null> {
  const { db, storage } = options.services;
  const conv = await db.query.convocatorias.findFirst({ where: (t, { eq: e }) => e(t.id, options.convocatoriaId) });
  if (!conv) return null;
  await auditar(db, options.actorId, "postulaciones.exportadas", { type: "convocatoria", id: conv.id }, { formato: "zip" });
  const body = new PassThrough();
  const zip = new ZipArchive({ store: true });
  zip.on("warning", (w) => options.logger.warn({ err: w }, "fichas zip warning"));
  zip.on("error", (e) => body.destroy(e));
  zip.pipe(body);
  void (async () => {
    try {
      const sinFicha: string[] = [];
      let after = "";
      for (;;) {
        const rows = await db
          .select()
          .from(postulaciones)
          .where(and(eq(postulaciones.convocatoriaId, conv.id), eq(postulaciones.estado, "registrada"), gt(postulaciones.numero, after)))
          .orderBy(asc(postulaciones.numero))
          .limit(BATCH);
        if (!rows.length) break;
        for (const r of rows) {
          let key = fichaVigente(r) ? r.fichaKey! : null;
          if (!key) {
            try {
              ({ key } = await buildFicha({ services: options.services, postulacionId: r.id, actorId: options.actorId, actorType: "staff" }));
            } catch (error) {
              options.logger.error({ err: error, postulacionId: r.id }, "fichas zip: ficha could not be built");
              sinFicha.push(r.numero!);
              continue;
            }
          }
          zip.append(await storage.get(key), { name: `ficha-${r.numero}.pdf` });
          await once(zip, "entry");
        }
        after = rows.at(-1)!.numero!;
      }
      zip.append(
        sinFicha.length
          ? `Postulaciones cuya Ficha de Postulación no se pudo generar (${sinFicha.length}); no se incluyen:\r\n${sinFicha.join("\r\n")}\r\n`
          : "Todas las postulaciones registradas tienen su Ficha de Postulación en este archivo.\r\n",
        { name: "LEAME.txt" },
      );
      await zip.finalize();
    } catch (error) {
      options.logger.error({ err: error }, "fichas zip failed");
      zip.abort();
      body.destroy(error as Error);
    }
  })();
  return { body, contentType: "application/zip", filename: `fichas-${safeName(conv.codigo)}.zip` };
}
