import { redirect } from "react-router";
import { PasoRegistrado } from "~/features/postulacion/confirmacion";
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
    <PasoRegistrado
      titulo="Desistimiento registrado"
      aviso={
        <>
          <strong>Usted desistió de su postulación N° {p.numero}.</strong> Ya no participa en la evaluación de esta convocatoria.
        </>
      }
      correo={<>Le enviamos la constancia de desistimiento a su correo electrónico {email}.</>}
      pdfs={[{ href: `/postulacion/${p.id}/desistimiento.pdf`, label: "Descargar constancia de desistimiento (PDF)" }]}
    >
      <DesistidaResumen convocatoria={c} postulacion={p} />
    </PasoRegistrado>
  );
}
