import { Link, useLoaderData } from "react-router";
import { requirePostulante, safeRedirectTo } from "~/platform/auth.server";
import type { Route } from "./+types/registro.bienvenida";

export function meta() {
  return [{ title: "Cuenta creada · CAS Online" }];
}

/** Where "Registrar" lands: the account exists, the applicant is signed in, the e-mail is on its way. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  // Back to what "POSTULAR" was opening when the visitor chose "Crear nuevo usuario".
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "");
  return { email: postulante.email, verificado: Boolean(postulante.emailVerifiedAt), redirectTo };
}

export default function Bienvenida() {
  const { email, verificado, redirectTo } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Su cuenta fue creada</h1>
      <div className="notice notice--success" role="status">
        {verificado ? (
          <p>Su correo electrónico ya está verificado.</p>
        ) : (
          <p>
            Le enviamos un correo a <strong>{email}</strong> con un enlace para verificar su dirección. El enlace vence
            en 24 horas. Mientras tanto, su cuenta ya funciona.
          </p>
        )}
      </div>
      <p>Si el correo no llega, revise la carpeta de spam o pida otro desde «Mi Perfil» con «Reenviar».</p>
      <div className="actions">
        {redirectTo ? (
          <Link to={redirectTo} className="button">
            Continuar
          </Link>
        ) : null}
        <Link to="/convocatorias" className={redirectTo ? undefined : "button"}>
          Ver convocatorias
        </Link>
        <Link to="/mi-perfil">Ir a Mi Perfil</Link>
      </div>
    </>
  );
}
