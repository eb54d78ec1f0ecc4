import { Link } from "react-router";
import { enPreparacion, ExportacionFichasEstado, REFRESCO_SEGUNDOS } from "~/features/evaluacion/exportacion-fichas";
import { getExportacionFichas } from "~/features/evaluacion/exportar-fichas.server";
import { CsrfInput } from "~/ui/form";
import { asNotFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones_.fichas_.$exportacionId";

/**
 * One fichas ZIP being prepared: its progress until it is ready, then the download. With
 * JavaScript it asks again by itself; without, "Actualizar" or, when chosen (`?auto=1`), a meta refresh.
 */
export const meta: Route.MetaFunction = ({ data: d }) => [
  { title: `Fichas (ZIP) · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` },
  ...(d?.auto && enPreparacion(d.exportacion) ? [{ httpEquiv: "refresh", content: String(REFRESCO_SEGUNDOS) }] : []),
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  try {
    const auto = new URL(request.url).searchParams.get("auto") === "1";
    return { ...(await getExportacionFichas({ services: context.services, convocatoriaId: params.id, exportacionId: params.exportacionId })), auto };
  } catch (error) {
    throw asNotFound(error, "No encontramos esa descarga de fichas.");
  }
}

export default function ExportacionFichasPage({ loaderData: d }: Route.ComponentProps) {
  const base = `/admin/convocatorias/${d.convocatoria.id}/postulaciones/fichas`;
  const e = d.exportacion;
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${d.convocatoria.id}/postulaciones`}>← Postulaciones: {d.convocatoria.codigo}</Link> ·{" "}
        <Link to={base}>Fichas (ZIP)</Link>
      </p>
      <h1>Fichas de postulación (ZIP): {d.convocatoria.codigo}</h1>
      <ExportacionFichasEstado e={e} zipHref={`${base}/${e.id}/zip`} auto={d.auto} />
      {e.estado === "fallida" || (e.estado === "lista" && !e.disponible) ? (
        <form method="post" action={base}>
          <CsrfInput />
          <button type="submit" className="button">
            Preparar ZIP de fichas
          </button>
        </form>
      ) : null}
    </>
  );
}
