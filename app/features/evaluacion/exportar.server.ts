import { once } from "node:events";
import { PassThrough, type Readable } from "node:stream";
import { eq, inArray } from "drizzle-orm";
import ExcelJS from "exceljs";
import { postulaciones, postulantes, staff } from "~/db/schema";
import { limaWallClock } from "~/shared/lima";
import type { Logger } from "~/platform/logger.server";
import type { Services } from "~/platform/services.server";
import { ubigeoNombres } from "~/features/ubigeo/ubigeo.server";
import { auditar } from "./auditoria.server";
import { listDesistidas } from "./desistidas.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { situaciones } from "./situacion.server";

/**
 * The exports of a convocatoria's postulaciones, streamed (app/web/download.server.ts sends them)
 * so memory does not grow with their size: rows and files are read in batches and written as they go.
 * The fichas ZIP is a background job (exportar-fichas.server.ts).
 */
const BATCH = 500;
export const safeName = (s: string) => s.normalize("NFD").replace(/[^\w-]+/g, "-").replace(/-+/g, "-").replace(/^-|-$/g, "");

/** An export as it is sent: a stream written as rows and files are read, its type and file name. */
export type Export = { body: Readable; contentType: string; filename: string };

const FECHA = "dd/mm/yyyy";
const FECHA_HORA = "dd/mm/yyyy hh:mm";

/** A sheet as the office filters it: the header row frozen, an autofilter over every column. */
function addSheet(wb: ExcelJS.stream.xlsx.WorkbookWriter, name: string, columns: Partial<ExcelJS.Column>[]) {
  const ws = wb.addWorksheet(name, {
    views: [{ state: "frozen", xSplit: 0, ySplit: 1, topLeftCell: "A2", activeCell: "A2" }],
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  ws.columns = columns;
  ws.getRow(1).font = { bold: true };
  return ws;
}

/** A sheet name Excel accepts: at most 31 characters, none of []:*?/\\, unique in the book. */
function sheetName(nombre: string, orden: number, used: Set<string>): string {
  let name = `${orden}. ${nombre}`.replace(/[[\]:*?/\\]/g, " ").slice(0, 31).trim();
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${name.slice(0, 27)} (${n})`;
  used.add(name.toLowerCase());
  return name;
}

/**
 * The workbook: the summary sheet ("Resumen": one row per registered postulación with the
 * applicant's data, each stage's score and the result), then one sheet per stage (who is in
 * it, each assigned evaluador's score, the average and APTO / NO APTO), then, when there are
 * any, "Desistidas" (number, applicant, registration and desistimiento times, reason). Dates are Excel dates
 * in Lima time, the district by its names, every sheet with a frozen header and filters.
 */
export async function exportarExcel(options: { services: Pick<Services, "db">; logger: Logger; actorId: string; convocatoriaId: string }): Promise<Export> {
  const { db } = options.services;
  const ev = await loadEvaluacion(db, options.convocatoriaId);
  const sit = situaciones(ev);
  const desistidas = await listDesistidas(db, options.convocatoriaId);
  await auditar(db, options.actorId, "postulaciones.exportadas", { type: "convocatoria", id: ev.convocatoria.id }, { formato: "xlsx", filas: ev.postulaciones.length, desistidas: desistidas.length });
  const evaluadorIds = [...new Set(ev.calculadas.flatMap((e) => e.evaluadores))];
  const evaluadores = new Map(
    (evaluadorIds.length ? await db.select({ id: staff.id, nombre: staff.nombre }).from(staff).where(inArray(staff.id, evaluadorIds)) : []).map((x) => [x.id, x.nombre]),
  );
  const body = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: body, useStyles: true, useSharedStrings: false });
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const drain = async () => {
    // Let the response drain between batches.
    if (body.writableNeedDrain) await once(body, "drain");
  };
  void (async () => {
    try {
      const ws = addSheet(wb, "Resumen", [
        { header: "N° de postulación", key: "numero", width: 16 },
        { header: "Registrada (hora de Lima)", key: "fecha", width: 18, style: { numFmt: FECHA_HORA } },
        { header: "Tipo de documento", key: "tipo", width: 10 },
        { header: "Número de documento", key: "doc", width: 14 },
        { header: "Apellidos y nombres", key: "nombre", width: 36 },
        { header: "Fecha de nacimiento", key: "nac", width: 12, style: { numFmt: FECHA } },
        { header: "Sexo", key: "sexo", width: 5 },
        { header: "Correo electrónico", key: "email", width: 30 },
        { header: "Celular", key: "celular", width: 12 },
        { header: "Dirección", key: "direccion", width: 30 },
        { header: "Departamento", key: "departamento", width: 14 },
        { header: "Provincia", key: "provincia", width: 14 },
        { header: "Distrito", key: "distrito", width: 18 },
        ...ev.calculadas.map((e) => ({ header: e.nombre, key: `e_${e.id}`, width: 12 })),
        { header: "Bonificación (%)", key: "bono", width: 10 },
        { header: "Puntaje", key: "puntaje", width: 10 },
        { header: "Estado", key: "estado", width: 28 },
      ]);
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
          const lugar = ubigeoNombres(x.ubigeo);
          ws.addRow({
            numero: p.numero,
            fecha: limaWallClock(p.finalizadaAt),
            tipo: p.tipoDocumento,
            doc: p.numeroDocumento,
            nombre: p.nombre,
            // A calendar date: midnight UTC is that day in the cell.
            nac: new Date(`${x.fechaNacimiento}T00:00:00Z`),
            sexo: x.sexo,
            email: p.email,
            celular: x.celular,
            direccion: x.direccion,
            departamento: lugar?.departamento ?? "",
            provincia: lugar?.provincia ?? "",
            distrito: lugar?.distrito ?? "",
            ...Object.fromEntries(ev.calculadas.map((e) => [`e_${e.id}`, s.etapas[e.id] == null ? null : s.etapas[e.id]! / 100])),
            bono: s.bonificacionPct || null,
            puntaje: s.puntaje == null ? null : s.puntaje / 100,
            estado: s.etiqueta,
          }).commit();
        }
        await drain();
      }
      ws.commit();
      const used = new Set(["resumen"]);
      for (const e of ev.calculadas) {
        const sheet = addSheet(wb, sheetName(e.nombre, e.orden, used), [
          { header: "N° de postulación", key: "numero", width: 16 },
          { header: "Apellidos y nombres", key: "nombre", width: 36 },
          { header: "Tipo de documento", key: "tipo", width: 10 },
          { header: "Número de documento", key: "doc", width: 14 },
          ...e.evaluadores.map((id) => ({ header: `Puntaje: ${evaluadores.get(id) ?? "evaluador"}`, key: `ev_${id}`, width: 14 })),
          { header: `Promedio (de ${e.maximo / 100}; mínimo ${e.minimo / 100})`, key: "promedio", width: 14 },
          { header: "Resultado", key: "resultado", width: 14 },
        ]);
        for (const [k, r] of e.resultados.entries()) {
          const p = byId.get(r.postulacionId)!;
          sheet.addRow({
            numero: p.numero,
            nombre: p.nombre,
            tipo: p.tipoDocumento,
            doc: p.numeroDocumento,
            ...Object.fromEntries(r.puntajes.map((x) => [`ev_${x.evaluadorId}`, x.puntaje / 100])),
            promedio: r.promedio == null ? null : r.promedio / 100,
            resultado: r.apto == null ? "Por calificar" : r.apto ? "APTO" : "NO APTO",
          }).commit();
          if (k % BATCH === BATCH - 1) await drain();
        }
        sheet.commit();
      }
      if (desistidas.length) {
        // Issue 17: out of the evaluation, kept for the record; the office sees them apart.
        const sheet = addSheet(wb, "Desistidas", [
          { header: "N° de postulación", key: "numero", width: 16 },
          { header: "Apellidos y nombres", key: "nombre", width: 36 },
          { header: "Tipo de documento", key: "tipo", width: 10 },
          { header: "Número de documento", key: "doc", width: 14 },
          { header: "Registrada (hora de Lima)", key: "registrada", width: 18, style: { numFmt: FECHA_HORA } },
          { header: "Desistida (hora de Lima)", key: "desistida", width: 18, style: { numFmt: FECHA_HORA } },
          { header: "Motivo", key: "motivo", width: 50 },
        ]);
        for (const p of desistidas) {
          sheet.addRow({
            numero: p.numero,
            nombre: p.nombre,
            tipo: p.tipoDocumento,
            doc: p.numeroDocumento,
            registrada: limaWallClock(p.finalizadaAt),
            desistida: limaWallClock(p.desistidaAt),
            motivo: p.motivo ?? "",
          }).commit();
        }
        sheet.commit();
      }
      await wb.commit();
    } catch (error) {
      options.logger.error({ err: error }, "excel export failed");
      body.destroy(error as Error);
    }
  })();
  return { body, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename: `postulaciones-${safeName(ev.convocatoria.codigo)}.xlsx` };
}
