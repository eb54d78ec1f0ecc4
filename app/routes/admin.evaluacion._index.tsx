import { asc, eq } from "drizzle-orm";
import { Link } from "react-router";
import { convocatorias, etapaEvaluadores, evaluacionEtapas } from "~/db/schema";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin.evaluacion._index";

/** The stages assigned to the signed-in staff member (issue 5): an evaluador sees only these. */
export const meta: Route.MetaFunction = () => [{ title: "Mis evaluaciones · CAS Online" }];

const ESTADO = { abierta: "Abierta", cerrada: "Cerrada", publicada: "Publicada" } as const;

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  const etapas = await context.services.db
    .select({
      id: evaluacionEtapas.id,
      nombre: evaluacionEtapas.nombre,
      estado: evaluacionEtapas.estado,
      codigo: convocatorias.codigo,
      puesto: convocatorias.puesto,
    })
    .from(etapaEvaluadores)
    .innerJoin(evaluacionEtapas, eq(evaluacionEtapas.id, etapaEvaluadores.etapaId))
    .innerJoin(convocatorias, eq(convocatorias.id, evaluacionEtapas.convocatoriaId))
    .where(eq(etapaEvaluadores.staffId, me.id))
    .orderBy(asc(convocatorias.codigo), asc(evaluacionEtapas.orden));
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
                    <span className="badge">{ESTADO[e.estado]}</span>
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
