import { redirect } from "react-router";
import { PasoRegistrado } from "~/features/postulacion/confirmacion";
import { formatLima } from "~/shared/lima";
import { postulacionPageLoader } from "~/web/postulacion-page.server";
import type { Route } from "./+types/postulacion.$convocatoriaId_.confirmada";

/** Postulación Confirmada (seed 2.1.6): the message, the number, the Lima time, the constancia and the ficha. */
export function meta() {
  return [{ title: "Postulación registrada · CAS Online" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  return postulacionPageLoader(request, context, params.convocatoriaId, (page, postulante) => {
    const p = page.postulacion;
    if (p?.estado === "desistida") throw redirect(`/postulacion/${params.convocatoriaId}/desistida`);
    if (!p || p.estado !== "registrada") throw redirect(`/postulacion/${params.convocatoriaId}`);
    return { convocatoria: page.convocatoria, postulacion: p, email: postulante.email };
  });
}

export default function Confirmada({ loaderData }: Route.ComponentProps) {
  const { convocatoria: c, postulacion: p, email } = loaderData;
  return (
    <PasoRegistrado
      titulo="Postulación Confirmada"
      aviso={<strong>Su postulación ha sido registrada satisfactoriamente</strong>}
      correo={<>Le enviamos la confirmación con la constancia a su correo electrónico {email}.</>}
      pdfs={[
        { href: `/postulacion/${p.id}/constancia.pdf`, label: "Descargar constancia de postulación (PDF)" },
        { href: `/postulacion/${p.id}/ficha.pdf`, label: "Ver Ficha de Postulación (PDF)" },
      ]}
    >
      <dl className="summary panel">
        <dt>Número de postulación</dt>
        <dd>{p.numero}</dd>
        <dt>Fecha y hora de registro (hora de Lima)</dt>
        <dd>{formatLima(p.finalizadaAt!)}</dd>
        <dt>Convocatoria</dt>
        <dd>
          {c.codigo} — {c.puesto}
        </dd>
      </dl>
    </PasoRegistrado>
  );
}
