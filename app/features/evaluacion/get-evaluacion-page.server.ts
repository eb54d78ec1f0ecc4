import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { bonificaciones, documentos, postulaciones, staff } from "~/db/schema";
import type { Services } from "~/platform/services.server";
import { formatLima } from "~/shared/lima";
import type { TipoBonificacion } from "./calculo";
import { CONDICION_LABEL, SUSTENTO_BONIFICACION } from "./etiquetas";
import { loadEvaluacion } from "./load-evaluacion.server";
import { aNumeric, formatPuntaje } from "./numeros";
import { avisoPostulacionSinTerminar, assertPostulacionTerminada } from "./plazo";
import { avancePorEvaluador } from "./avance";
import { assertEtapaCerrable } from "./close-etapa.server";
import { configuracionCerrada, motivoSi, resultadoFinalPublicado } from "./errors";
import { filasParaPublicar } from "./publish-resultados.server";
import { getResultadosPublicados } from "./resultados-publicados.server";

const BONO_TIPOS = Object.keys(SUSTENTO_BONIFICACION) as TipoBonificacion[];

/**
 * What the gestor's evaluation page of a convocatoria shows (issue 5), in plain serialisable
 * values: its stages and their progress, the staff who may be assigned, the claimed
 * bonificaciones and their decisions, the final merit order (once every stage is closed) and
 * the publications. An unknown convocatoria is loadEvaluacion's 404 refusal.
 */
export async function getEvaluacionPage(options: { services: Pick<Services, "db" | "clock">; convocatoriaId: string }) {
  const { db, clock } = options.services;
  const ev = await loadEvaluacion(db, options.convocatoriaId);
  const personal = await db
    .select({ id: staff.id, nombre: staff.nombre, role: staff.role })
    .from(staff)
    .where(and(isNull(staff.disabledAt), inArray(staff.role, ["evaluador", "gestor"])))
    .orderBy(asc(staff.nombre));
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const claims = await db
    .select({ postulacionId: documentos.postulacionId, tipo: documentos.tipo })
    .from(documentos)
    .innerJoin(postulaciones, eq(postulaciones.id, documentos.postulacionId))
    .where(and(eq(postulaciones.convocatoriaId, ev.convocatoria.id), eq(postulaciones.estado, "registrada"), inArray(documentos.tipo, Object.values(SUSTENTO_BONIFICACION))));
  const decididas = await db
    .select()
    .from(bonificaciones)
    .where(claims.length ? inArray(bonificaciones.postulacionId, [...new Set(claims.map((c) => c.postulacionId))]) : isNull(bonificaciones.postulacionId));
  const bonos = claims.map((c) => {
    const tipo = BONO_TIPOS.find((t) => SUSTENTO_BONIFICACION[t] === c.tipo)!;
    const d = decididas.find((x) => x.postulacionId === c.postulacionId && x.tipo === tipo);
    const p = byId.get(c.postulacionId)!;
    return { postulacionId: c.postulacionId, numero: p.numero, nombre: p.nombre, tipo, estado: d ? (d.validada ? "Validada" : "Rechazada") : "Pendiente", nivel: d?.nivel ?? null, observacion: d?.observacion ?? "" };
  });
  const now = clock.now();
  const asignados = [...new Set(ev.calculadas.flatMap((e) => e.evaluadores))];
  const nombres = new Map(
    asignados.length ? (await db.select({ id: staff.id, nombre: staff.nombre }).from(staff).where(inArray(staff.id, asignados))).map((x) => [x.id, x.nombre]) : [],
  );
  const publicaciones = await getResultadosPublicados(db, ev.convocatoria.id);
  const finalPublicado = publicaciones.some((p) => p.alcance === "final");
  const cerrada = ev.etapas.find((e) => e.estado !== "abierta");
  const final = ev.final;
  const aptos = final?.resultados.filter((r) => r.final != null) ?? [];
  return {
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto, vacantes: ev.convocatoria.vacantes },
    config: { bonificacionesAcumulables: ev.config.bonificacionesAcumulables, publicarComo: ev.config.publicarComo },
    etapas: ev.calculadas.map((e) => ({
      id: e.id,
      tipo: e.tipo,
      nombre: e.nombre,
      peso: aNumeric(e.peso),
      maximo: aNumeric(e.maximo),
      minimo: aNumeric(e.minimo),
      estado: e.estado,
      evaluadores: e.evaluadores,
      bloqueada: e.bloqueada,
      total: e.resultados.length,
      faltantes: e.faltantes,
      aptos: e.resultados.filter((r) => r.apto).length,
      avance: avancePorEvaluador(e, nombres),
      // Why "Cerrar etapa" / "Publicar resultados" would be refused now (null: offered), the refusals' own words.
      cerrarMotivo: e.estado === "abierta" ? motivoSi(() => assertEtapaCerrable(ev, e.id, now)) : null,
      publicarMotivo: motivoSi(() => {
        assertPostulacionTerminada(ev.convocatoria, now);
        filasParaPublicar(ev, { etapaId: e.id });
      }),
    })),
    /** Why "Guardar configuración" is not offered (a stage was closed), as configureEtapas refuses. */
    configMotivo: cerrada ? configuracionCerrada(cerrada.nombre).message : null,
    /** Why "Validar" / "Rechazar" are not offered (the final result is published). */
    bonosMotivo: finalPublicado ? resultadoFinalPublicado().message : null,
    total: ev.postulaciones.length,
    personal,
    bonos,
    final: final
      ? {
          empates: final.empates.map((t) => ({
            puntaje: formatPuntaje(t.puntaje),
            resuelto: t.resuelto?.nota ?? null,
            postulaciones: t.postulaciones.map((id) => ({ id, numero: byId.get(id)!.numero, nombre: byId.get(id)!.nombre })),
          })),
          filas: aptos.slice(0, Math.max(50, ev.convocatoria.vacantes + 10)).map((r) => ({
            id: r.postulacionId,
            orden: r.orden,
            numero: byId.get(r.postulacionId)!.numero,
            nombre: byId.get(r.postulacionId)!.nombre,
            base: formatPuntaje(r.base),
            bonificacion: r.bonificacionPct ? `${r.bonificacionPct} % (${formatPuntaje(r.bonificacion)})` : "—",
            final: formatPuntaje(r.final),
            condicion: CONDICION_LABEL[r.condicion],
            empate: r.empate,
          })),
          aptos: aptos.length,
          noAptos: final.resultados.length - aptos.length,
          publicarMotivo: motivoSi(() => filasParaPublicar(ev, "final")),
        }
      : null,
    publicaciones: publicaciones.map((p) => ({
      id: p.id, alcance: p.alcance, titulo: p.titulo, version: p.version, publishedAt: formatLima(p.publishedAt), pdfUrl: p.pdfUrl,
    })),
    plazo: avisoPostulacionSinTerminar(ev.convocatoria, now),
  };
}

export type EvaluacionPage = Awaited<ReturnType<typeof getEvaluacionPage>>;
