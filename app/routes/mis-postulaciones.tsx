import { Link } from "react-router";
import { formatLima } from "~/shared/lima";
import { EstadoEvaluacionTexto } from "~/features/evaluacion/resultados-publicados";
import { estadoEvaluacion } from "~/features/evaluacion/resultados-publicados.server";
import { listMisPostulaciones } from "~/features/postulacion/list-mis-postulaciones.server";
import { requirePostulante } from "~/web/auth.server";
import type { Route } from "./+types/mis-postulaciones";

/**
 * "Mis postulaciones": each postulación with its convocatoria, estado, number, Lima date
 * (registration, or the draft's start; and the desistimiento), constancia and ficha; a draft of
 * an open call offers "Continuar postulación", a registrada one "Desistir de la postulación".
 */
export function meta() {
  return [{ title: "Mis postulaciones · CAS Online" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  const postulaciones = await listMisPostulaciones(context.services.db, postulante.id, context.services.clock.now());
  return { postulaciones, evaluacion: await estadoEvaluacion(context.services.db, postulaciones.map((p) => p.id)) };
}

export default function MisPostulaciones({ loaderData }: Route.ComponentProps) {
  const { postulaciones } = loaderData;
  return (
    <>
      <h1>Mis postulaciones</h1>
      {postulaciones.length === 0 ? (
        <p>
          Aún no tiene postulaciones. Busque una convocatoria en el <Link to="/convocatorias">Listado de Convocatorias</Link>{" "}
          y presione «POSTULAR».
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Sus postulaciones, la más reciente primero</caption>
            <thead>
              <tr>
                <th scope="col">Convocatoria</th>
                <th scope="col">Estado</th>
                <th scope="col">N° de postulación</th>
                <th scope="col">Fecha (hora de Lima)</th>
                <th scope="col">Documentos</th>
              </tr>
            </thead>
            <tbody>
              {postulaciones.map((p) => (
                <tr key={p.id}>
                  <td data-label="Convocatoria">
                    <Link to={`/postulacion/${p.convocatoriaId}`}>{p.codigo}</Link>
                    <br />
                    {p.puesto}
                  </td>
                  <td data-label="Estado">
                    <span className="badge">{p.estadoLabel}</span>
                    <EstadoEvaluacionTexto estado={loaderData.evaluacion[p.id]} postulacionId={p.id} />
                  </td>
                  <td data-label="N° de postulación">
                    {p.numero ?? (
                      <>
                        <span aria-hidden="true">—</span>
                        <span className="visually-hidden">Sin número: aún no finaliza</span>
                      </>
                    )}
                  </td>
                  <td data-label="Fecha (hora de Lima)">
                    {p.estado === "en_registro" ? "Iniciada el " : "Registrada el "}
                    <time dateTime={p.fecha}>{formatLima(p.fecha)}</time>
                    {p.desistidaAt ? (
                      <>
                        <br />
                        Desistida el <time dateTime={p.desistidaAt}>{formatLima(p.desistidaAt)}</time>
                      </>
                    ) : null}
                  </td>
                  <td data-label="Documentos">
                    {p.constanciaDesistimiento ? (
                      <>
                        <a href={`/postulacion/${p.id}/desistimiento.pdf`}>
                          Constancia de desistimiento<span className="visually-hidden"> {p.codigo}</span> (PDF)
                        </a>
                        {" · "}
                      </>
                    ) : null}
                    {p.constancia ? (
                      <>
                        <a href={`/postulacion/${p.id}/constancia.pdf`}>Constancia<span className="visually-hidden"> {p.codigo}</span> (PDF)</a>
                        {" · "}
                      </>
                    ) : null}
                    {p.estado !== "en_registro" || p.documentos > 0 ? (
                      <a href={`/postulacion/${p.id}/ficha.pdf`}>Ficha<span className="visually-hidden"> {p.codigo}</span> (PDF)</a>
                    ) : (
                      "Aún no ha cargado documentos"
                    )}
                    {p.estado === "en_registro" && p.abierta ? (
                      <>
                        {" · "}
                        <Link to={`/postulacion/${p.convocatoriaId}`}>
                          Continuar postulación<span className="visually-hidden"> a {p.codigo}</span>
                        </Link>
                      </>
                    ) : null}
                    {p.estado === "registrada" && p.abierta ? (
                      <>
                        {" · "}
                        <Link to={`/postulacion/${p.convocatoriaId}/desistir`}>
                          Desistir de la postulación<span className="visually-hidden"> a {p.codigo}</span>
                        </Link>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
