import { Form, Link } from "react-router";
import { FILTROS_SITUACION, ORDENES_POSTULACIONES } from "~/features/evaluacion/etiquetas";
import { listPostulacionesRegistradas } from "~/features/evaluacion/list-postulaciones-registradas.server";
import { PostulacionesTabla } from "~/features/evaluacion/postulaciones-tabla";
import { cantidad } from "~/shared/format";
import { isUuid } from "~/shared/ids";
import { requireStaff } from "~/web/auth.server";
import { asNotFound, notFound } from "~/web/answer-error.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones";

/** The finalized postulaciones of a convocatoria for the HR office (issue 5): search, filters, sorting, counts, exports. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Postulaciones · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const url = new URL(request.url);
  const filtro = { q: url.searchParams.get("q"), situacion: url.searchParams.get("situacion"), orden: url.searchParams.get("orden"), pagina: url.searchParams.get("pagina") };
  try {
    return await listPostulacionesRegistradas(context.services.db, params.id, filtro);
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
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
        <li>Desistidas: {d.desistidas.length}</li>
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
            {ORDENES_POSTULACIONES.map((o) => (
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
        <PostulacionesTabla
          filas={d.filas}
          columnas={[
            ["Postulante", "nombre"],
            ["Documento", "documento"],
            ["Registrada", "fecha"],
            ["Estado", "situacion"],
            ["Puntaje", "puntaje"],
          ]}
        />
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
      {d.desistidas.length ? (
        <section aria-labelledby="desistidas-titulo">
          <h2 id="desistidas-titulo">Desistidas</h2>
          <p>El postulante desistió mientras el plazo estaba abierto: no participan en la evaluación. Sus documentos y su historial se conservan.</p>
          <PostulacionesTabla
            filas={d.desistidas}
            columnas={[
              ["Postulante", "nombre"],
              ["Registrada", "registrada"],
              ["Desistida", "desistida"],
            ]}
          />
        </section>
      ) : null}
    </>
  );
}
