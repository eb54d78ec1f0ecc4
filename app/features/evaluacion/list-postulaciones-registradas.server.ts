import { and, count, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { FILTROS_SITUACION, ORDENES_POSTULACIONES } from "./etiquetas";
import { listDesistidas } from "./desistidas.server";
import { loadEvaluacion } from "./load-evaluacion.server";
import { formatPuntaje } from "./numeros";
import { situaciones, type Situacion } from "./situacion.server";

const POR_PAGINA = 50;
const plain = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

/**
 * The finalized postulaciones of a convocatoria for the HR office (issue 5): counts by state
 * (drafts only counted), a search by name, document or number, a filter by state, a sort, a
 * page of 50; and, apart, the desistidas (issue 17: out of the evaluation, each with its dates). The filter's values come as typed in the address; an unknown one is ignored.
 * An unknown convocatoria is loadEvaluacion's 404 refusal.
 */
export async function listPostulacionesRegistradas(
  db: Db,
  convocatoriaId: string,
  filtro: { q: string | null; situacion: string | null; orden: string | null; pagina: string | null },
) {
  const ev = await loadEvaluacion(db, convocatoriaId);
  const [{ n: borradores } = { n: 0 }] = await db
    .select({ n: count() })
    .from(postulaciones)
    .where(and(eq(postulaciones.convocatoriaId, convocatoriaId), eq(postulaciones.estado, "en_registro")));
  const desistidas = await listDesistidas(db, convocatoriaId);
  const q = (filtro.q ?? "").trim().slice(0, 100);
  const situacion = FILTROS_SITUACION.find((f) => f.value === filtro.situacion)?.value ?? "";
  const orden = ORDENES_POSTULACIONES.find((o) => o.value === filtro.orden)?.value ?? "numero";
  const sit = situaciones(ev);
  const conteo: Record<Situacion["clave"], number> = { pendiente: 0, apto: 0, no_apto: 0, ganador: 0, accesitario: 0 };
  for (const s of sit.values()) conteo[s.clave]++;
  const needle = plain(q);
  let rows = ev.postulaciones.filter(
    (p) =>
      (!needle || plain(p.nombre).includes(needle) || p.numeroDocumento.includes(q) || p.numero.includes(q)) &&
      (!situacion || sit.get(p.id)!.clave === situacion),
  );
  if (orden === "nombre") rows = rows.sort((a, b) => a.nombre.localeCompare(b.nombre, "es"));
  if (orden === "puntaje") rows = rows.sort((a, b) => (sit.get(b.id)!.puntaje ?? -1) - (sit.get(a.id)!.puntaje ?? -1));
  const paginas = Math.max(1, Math.ceil(rows.length / POR_PAGINA));
  const pagina = Math.min(paginas, Math.max(1, Number(filtro.pagina) || 1));
  return {
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto },
    total: ev.postulaciones.length,
    borradores,
    desistidas: desistidas.map((p) => ({
      id: p.id,
      numero: p.numero,
      nombre: p.nombre,
      registrada: formatLima(p.finalizadaAt),
      desistida: formatLima(p.desistidaAt),
    })),
    conteo,
    filtro: { q, situacion, orden },
    encontradas: rows.length,
    pagina,
    paginas,
    filas: rows.slice((pagina - 1) * POR_PAGINA, pagina * POR_PAGINA).map((p) => {
      const s = sit.get(p.id)!;
      return { id: p.id, numero: p.numero, nombre: p.nombre, documento: `${p.tipoDocumento} ${p.numeroDocumento}`, fecha: formatLima(p.finalizadaAt), situacion: s.etiqueta, puntaje: formatPuntaje(s.puntaje) };
    }),
  };
}
