import { and, count, eq } from "drizzle-orm";
import { Form, Link } from "react-router";
import { postulaciones } from "~/db/schema";
import { formatLima } from "~/shared/lima";
import { loadEvaluacion } from "~/features/evaluacion/load-evaluacion.server";
import { isUuid } from "~/shared/ids";
import { formatPuntaje } from "~/features/evaluacion/numeros";
import { asNotFound, notFound } from "~/web/answer-error.server";
import { FILTROS_SITUACION } from "~/features/evaluacion/etiquetas";
import { situaciones, type Situacion } from "~/features/evaluacion/situacion.server";
import { requireStaff } from "~/web/auth.server";
import { cantidad } from "~/shared/format";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones";

/** The finalized postulaciones of a convocatoria for the HR office (issue 5): search, filters, sorting, counts, exports. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Postulaciones · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

const POR_PAGINA = 50;
const ORDENES = [
  { value: "numero", label: "Número de postulación" },
  { value: "nombre", label: "Apellidos y nombres" },
  { value: "puntaje", label: "Puntaje (mayor primero)" },
] as const;
const plain = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const { db } = context.services;
  let ev;
  try {
    ev = await loadEvaluacion(db, params.id);
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
  const [{ n: borradores } = { n: 0 }] = await db
    .select({ n: count() })
    .from(postulaciones)
    .where(and(eq(postulaciones.convocatoriaId, params.id), eq(postulaciones.estado, "en_registro")));
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const situacion = FILTROS_SITUACION.find((f) => f.value === url.searchParams.get("situacion"))?.value ?? "";
  const orden = ORDENES.find((o) => o.value === url.searchParams.get("orden"))?.value ?? "numero";
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
  const pagina = Math.min(paginas, Math.max(1, Number(url.searchParams.get("pagina")) || 1));
  return {
    convocatoria: { id: ev.convocatoria.id, codigo: ev.convocatoria.codigo, puesto: ev.convocatoria.puesto },
    total: ev.postulaciones.length,
    borradores,
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

export default function PostulacionesConvocatoria({ loaderData: d }: Route.ComponentProps) {
  const link = (pagina: number) => `?${new URLSearchParams({ q: d.filtro.q, situacion: d.filtro.situacion, orden: d.filtro.orden, pagina: String(pagina) })}`;
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${d.convocatoria.id}`}>← {d.convocatoria.codigo}</Link> ·{" "}
        <Link to={`/admin/convocatorias/${d.convocatoria.id}/evaluacion`}>Evaluación</Link>
      </p>
      <h1>Postulaciones: {d.convocatoria.codigo}</h1>
      <p>{d.convocatoria.puesto}</p>
      <ul className="counts" aria-label="Conteo por estado">
        <li>Registradas: {d.total}</li>
        <li>En registro (sin finalizar): {d.borradores}</li>
        <li>Por calificar: {d.conteo.pendiente}</li>
        <li>Aptos: {d.conteo.apto}</li>
        <li>No aptos: {d.conteo.no_apto}</li>
        <li>Ganadores: {d.conteo.ganador}</li>
        <li>Accesitarios: {d.conteo.accesitario}</li>
      </ul>
      <p className="actions">
        <a className="button button--secondary" href={`/admin/convocatorias/${d.convocatoria.id}/postulaciones/excel`}>
          Exportar a Excel
        </a>
        <a className="button button--secondary" href={`/admin/convocatorias/${d.convocatoria.id}/postulaciones/fichas`}>
          Descargar fichas (ZIP)
        </a>
      </p>
      <Form method="get" className="panel filters">
        <div className="field">
          <label htmlFor="q">Buscar por nombre, documento o número de postulación</label>
          <input id="q" name="q" type="search" defaultValue={d.filtro.q} maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor="situacion">Estado</label>
          <select id="situacion" name="situacion" defaultValue={d.filtro.situacion}>
            {FILTROS_SITUACION.map((f) => (
              <option key={f.value} value={f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="orden">Ordenar por</label>
          <select id="orden" name="orden" defaultValue={d.filtro.orden}>
            {ORDENES.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button">
          Filtrar
        </button>
      </Form>
      <p role="status">{cantidad(d.encontradas, "postulación encontrada", "postulaciones encontradas")}.</p>
      {d.filas.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">N° de postulación</th>
                <th scope="col">Postulante</th>
                <th scope="col">Documento</th>
                <th scope="col">Registrada</th>
                <th scope="col">Estado</th>
                <th scope="col">Puntaje</th>
              </tr>
            </thead>
            <tbody>
              {d.filas.map((f) => (
                <tr key={f.id}>
                  <td data-label="N° de postulación">
                    <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
                  </td>
                  <td data-label="Postulante">{f.nombre}</td>
                  <td data-label="Documento">{f.documento}</td>
                  <td data-label="Registrada">{f.fecha}</td>
                  <td data-label="Estado">{f.situacion}</td>
                  <td data-label="Puntaje">{f.puntaje}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {d.paginas > 1 ? (
        <nav aria-label="Páginas" className="actions">
          {d.pagina > 1 ? <Link to={link(d.pagina - 1)}>Anterior</Link> : null}
          <span>
            Página {d.pagina} de {d.paginas}
          </span>
          {d.pagina < d.paginas ? <Link to={link(d.pagina + 1)}>Siguiente</Link> : null}
        </nav>
      ) : null}
    </>
  );
}
