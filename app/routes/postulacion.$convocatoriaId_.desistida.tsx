import { Link, redirect } from "react-router";
import { DesistidaResumen } from "~/features/postulacion/datos-postulacion";
import { postulacionPageLoader } from "~/web/postulacion-page.server";
import type { Route } from "./+types/postulacion.$convocatoriaId_.desistida";

/** After "Desistir de la postulación" (issue 17): it is done, what stays, and the constancia de desistimiento. */
export function meta() {
  return [{ title: "Desistimiento registrado · CAS Online" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  return postulacionPageLoader(request, context, params.convocatoriaId, (page, postulante) => {
    const p = page.postulacion;
    if (p?.estado !== "desistida") throw redirect(`/postulacion/${params.convocatoriaId}`);
    return { convocatoria: page.convocatoria, postulacion: p, email: postulante.email };
  });
}

export default function Desistida({ loaderData }: Route.ComponentProps) {
  const { convocatoria: c, postulacion: p, email } = loaderData;
  return (
    <>
      <h1>Desistimiento registrado</h1>
      <div className="notice notice--success" role="status">
        <p>
          <strong>Usted desistió de su postulación N° {p.numero}.</strong> Ya no participa en la evaluación de esta convocatoria.
        </p>
      </div>
      <DesistidaResumen convocatoria={c} postulacion={p} />
      <p>Le enviamos la constancia de desistimiento a su correo electrónico {email}.</p>
      <ul>
        <li>
          <a href={`/postulacion/${p.id}/desistimiento.pdf`}>Descargar constancia de desistimiento (PDF)</a>
        </li>
        <li>
          <Link to="/mis-postulaciones">Mis postulaciones</Link>
        </li>
      </ul>
    </>
  );
}
