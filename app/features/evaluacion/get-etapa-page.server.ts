import { inArray } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { staff } from "~/db/schema";
import { perfilDeConvocatoria } from "~/features/convocatorias/convocatoria-datos.server";
import { requisitosDelPerfil } from "~/features/postulacion/evidencias";
import { listEvidencias } from "~/features/postulacion/evidencias.server";
import { TIPO_DISCAPACIDAD } from "./acceso-expediente.server";
import type { EtapaAccess } from "./check-etapa-access.server";
import { avancePorEvaluador } from "./avance";
import { loadEvaluacion } from "./load-evaluacion.server";
import { aNumeric, formatPuntaje } from "./numeros";
import { sustentoVisible } from "./sustento-evaluacion";

const POR_PAGINA = 100;

/**
 * What a stage's page shows (issue 5), a page of 100 postulaciones by number: to an assigned
 * evaluador their own scores and observaciones; to the HR office every evaluador's score, the
 * average and the result. `acceso` is checkEtapaAccess's answer for the viewer.
 */
export async function getEtapaPage(options: { db: Db; acceso: EtapaAccess; actorId: string; pagina: string | null }) {
  const { db, acceso, actorId } = options;
  const { etapa, asignado, gestiona } = acceso;
  const ev = await loadEvaluacion(db, etapa.convocatoriaId);
  const calc = ev.calculadas.find((e) => e.id === etapa.id)!;
  const byId = new Map(ev.postulaciones.map((p) => [p.id, p]));
  const paginas = Math.max(1, Math.ceil(calc.resultados.length / POR_PAGINA));
  const pagina = Math.min(paginas, Math.max(1, Number(options.pagina) || 1));
  const mine = new Map(ev.puntajes.filter((p) => p.etapaId === etapa.id && p.evaluadorId === actorId).map((p) => [p.postulacionId, p]));
  const evaluadores = calc.evaluadores.length
    ? await db.select({ id: staff.id, nombre: staff.nombre }).from(staff).where(inArray(staff.id, calc.evaluadores))
    : [];
  const enPagina = calc.resultados
    .map((r) => ({ r, p: byId.get(r.postulacionId)! }))
    .sort((a, b) => a.p.numero.localeCompare(b.p.numero))
    .slice((pagina - 1) * POR_PAGINA, pagina * POR_PAGINA);
  // The evidence of the page's postulaciones (issue 17), as their expediente shows it to this viewer:
  // an evaluador never sees the disability sustento.
  const [evidencias, perfil] = await Promise.all([
    listEvidencias(db, enPagina.map(({ p }) => p.id)),
    perfilDeConvocatoria(db, ev.convocatoria.id),
  ]);
  const visibles = evidencias.filter((v) => gestiona || v.tipo !== TIPO_DISCAPACIDAD);
  const filas = enPagina.map(({ r, p }) => ({
      id: p.id,
      numero: p.numero,
      nombre: p.nombre,
      miPuntaje: mine.has(p.id) ? aNumeric(mine.get(p.id)!.puntaje) : "",
      miObservacion: mine.get(p.id)?.observacion ?? "",
      puntajes: gestiona ? evaluadores.map((e) => ({ id: e.id, puntaje: formatPuntaje(r.puntajes.find((x) => x.evaluadorId === e.id)?.puntaje) })) : [],
      promedio: gestiona ? formatPuntaje(r.promedio) : null,
      resultado: gestiona && r.apto != null ? (r.apto ? "APTO" : "NO APTO") : null,
      sustento: visibles.filter((v) => v.postulacionId === p.id).map(sustentoVisible),
    }));
  return {
    etapa: { id: etapa.id, nombre: etapa.nombre, estado: etapa.estado, maximo: formatPuntaje(Number(etapa.maximo) * 100), minimo: formatPuntaje(Number(etapa.minimo) * 100) },
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto },
    /** The perfil's requirements the applicants prove, with their texts. */
    requisitos: requisitosDelPerfil(perfil),
    bloqueada: calc.bloqueada,
    asignado,
    gestiona,
    evaluadores,
    /** The HR office: each assigned evaluador's progress in this stage (scored / in the stage). */
    avance: gestiona ? avancePorEvaluador(calc, new Map(evaluadores.map((e) => [e.id, e.nombre]))) : [],
    filas,
    total: calc.resultados.length,
    faltantes: calc.faltantes,
    pagina,
    paginas,
  };
}

export type EtapaPage = Awaited<ReturnType<typeof getEtapaPage>>;
