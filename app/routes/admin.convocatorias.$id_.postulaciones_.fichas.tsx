import { Link, redirect } from "react-router";
import { estadoExportacion } from "~/features/evaluacion/exportacion-fichas";
import { getExportacionesFichas, solicitarExportacionFichas } from "~/features/evaluacion/exportar-fichas.server";
import { formatLima } from "~/shared/lima";
import { isUuid } from "~/shared/ids";
import { CsrfInput } from "~/ui/form";
import { asNotFound, notFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import type { Route } from "./+types/admin.convocatorias.$id_.postulaciones_.fichas";

/** "Descargar fichas (ZIP)": prepare the ZIP of every registered ficha (a background job) and the latest ones prepared (gestor, administrador). */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Fichas (ZIP) · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  try {
    return await getExportacionesFichas({ services: context.services, convocatoriaId: params.id });
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "review:postulacion");
  await readForm(request, context);
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  try {
    const { id } = await solicitarExportacionFichas({ services: context.services, actorId: staff.id, convocatoriaId: params.id });
    context.logger.info({ convocatoriaId: params.id, exportacionId: id }, "fichas zip requested");
    return redirect(`/admin/convocatorias/${params.id}/postulaciones/fichas/${id}`);
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
}

export default function FichasZip({ loaderData: d }: Route.ComponentProps) {
  const base = `/admin/convocatorias/${d.convocatoria.id}/postulaciones/fichas`;
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${d.convocatoria.id}/postulaciones`}>← Postulaciones: {d.convocatoria.codigo}</Link>
      </p>
      <h1>Fichas de postulación (ZIP): {d.convocatoria.codigo}</h1>
      <p>
        Un archivo ZIP con la Ficha de Postulación registrada de cada una de las {d.registradas} postulaciones registradas. Las fichas que nadie ha
        abierto se generan al prepararlo; con muchas postulaciones puede tardar unos minutos. El archivo se conserva 24 horas.
      </p>
      <form method="post" className="panel">
        <CsrfInput />
        <button type="submit" className="button">
          Preparar ZIP de fichas
        </button>
      </form>
      {d.exportaciones.length ? (
        <>
          <h2>Preparados recientemente</h2>
          <ul>
            {d.exportaciones.map((e) => (
              <li key={e.id}>
                <Link to={`${base}/${e.id}`}>Solicitado el {formatLima(e.creadaAt)}</Link>: {estadoExportacion(e)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
