import { Link } from "react-router";
import { ESTADO_ETAPA_LABEL } from "~/features/evaluacion/etiquetas";
import { listEtapasEvaluador } from "~/features/evaluacion/list-etapas-evaluador.server";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin.evaluacion._index";

/** The stages assigned to the signed-in staff member (issue 5): an evaluador sees only these. */
export const meta: Route.MetaFunction = () => [{ title: "Mis evaluaciones · CAS Online" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  const etapas = await listEtapasEvaluador(context.services.db, me.id);
  return { etapas };
}

export default function MisEvaluaciones({ loaderData }: Route.ComponentProps) {
  const { etapas } = loaderData;
  return (
    <>
      <h1>Mis evaluaciones</h1>
      {etapas.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Convocatoria</th>
                <th scope="col">Puesto</th>
                <th scope="col">Etapa</th>
                <th scope="col">Estado</th>
              </tr>
            </thead>
            <tbody>
              {etapas.map((e) => (
                <tr key={e.id}>
                  <td data-label="Convocatoria">{e.codigo}</td>
                  <td data-label="Puesto">{e.puesto}</td>
                  <td data-label="Etapa">
                    <Link to={`/admin/evaluacion/etapas/${e.id}`}>{e.nombre}</Link>
                  </td>
                  <td data-label="Estado">
                    <span className="badge">{ESTADO_ETAPA_LABEL[e.estado]}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p>No tiene etapas de evaluación asignadas.</p>
      )}
    </>
  );
}
