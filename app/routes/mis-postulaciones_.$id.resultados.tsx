import { Link } from "react-router";
import { getMisResultados } from "~/features/evaluacion/get-mis-resultados.server";
import { MisResultados } from "~/features/evaluacion/mis-resultados";
import { asNotFound } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import type { Route } from "./+types/mis-postulaciones_.$id.resultados";

/** "Mis resultados" of one postulación (issue 17): the applicant's own scores, minima, bonificaciones and results. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Mis resultados · ${d?.postulacion.codigo ?? "Postulación"} · CAS Online` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  try {
    return await getMisResultados(context.services.db, { postulanteId: postulante.id, postulacionId: params.id });
  } catch (error) {
    throw asNotFound(error);
  }
}

export default function MisResultadosPage({ loaderData: d }: Route.ComponentProps) {
  return (
    <>
      <p>
        <Link to="/mis-postulaciones">← Mis postulaciones</Link>
      </p>
      <h1>Mis resultados</h1>
      <p>
        {d.postulacion.codigo} — {d.postulacion.puesto}
        {d.postulacion.numero ? ` · Postulación N° ${d.postulacion.numero}` : ""}
      </p>
      <MisResultados etapas={d.etapas} final={d.final} />
      <p>
        <Link to={`/convocatorias/${d.postulacion.convocatoriaId}#resultados`}>Ver las listas publicadas de la convocatoria</Link>
      </p>
    </>
  );
}
