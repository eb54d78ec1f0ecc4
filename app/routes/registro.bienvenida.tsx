import { Link, useLoaderData } from "react-router";
import { safeRedirectTo } from "~/web/auth.server";
import type { Route } from "./+types/registro.bienvenida";

export function meta() {
  return [{ title: "Revise su correo · CAS Online" }];
}

/**
 * Where "Registrar" lands, whether the data were new or already had an account (issue 11):
 * one page for both, so it cannot tell anyone which documents or e-mails are registered.
 * Nobody is signed in here; the new applicant signs in with the document and password.
 */
export function loader({ request }: Route.LoaderArgs) {
  // Back to what "POSTULAR" was opening when the visitor chose "Crear nuevo usuario".
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "");
  return { redirectTo };
}

export default function Bienvenida() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const login = redirectTo ? `/login?redirectTo=${encodeURIComponent(redirectTo)}` : "/login";
  return (
    <>
      <h1>Revise su correo</h1>
      <div className="notice notice--success" role="status">
        <p>Recibimos sus datos y le escribimos al correo electrónico correspondiente.</p>
      </div>
      <ul>
        <li>
          Si es una cuenta nueva, el correo trae un enlace para verificar su dirección (vence en 24 horas). Ya puede
          ingresar con su tipo y número de documento y la contraseña que eligió.
        </li>
        <li>
          Si ya existía una cuenta con ese documento o ese correo, no se creó otra: le escribimos al correo registrado en
          esa cuenta, con el enlace para recuperar la contraseña.
        </li>
      </ul>
      <p>Si el correo no llega, revise la carpeta de spam.</p>
      <div className="actions">
        <Link to={login} className="button">
          Ingresar
        </Link>
        <Link to="/convocatorias">Ver convocatorias</Link>
      </div>
    </>
  );
}
