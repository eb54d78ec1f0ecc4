import { data, Link, redirect, useActionData, useLoaderData } from "react-router";
import { isEmailVerificationUsable, verifyEmail } from "~/features/accounts/verify-email.server";
import { refusal } from "~/web/answer-error.server";
import { readForm } from "~/web/forms.server";
import { loadTokenPage, tokenPageHeaders } from "~/web/token-page.server";
import { TokenConfirmForm, TokenOutcome } from "~/ui/token-confirm";
import type { Route } from "./+types/verificar-correo";

export function meta() {
  return [{ title: "Verificar correo · CAS Online" }];
}

// The page carries a token in its address: never cached, never sent on as a referrer to
// another site (why "same-origin": app/web/token-page.server.ts).
export const headers = tokenPageHeaders;

/**
 * The e-mailed link opens this page; it does not verify by itself. Mail scanners fetch
 * links to inspect them, so only the POST of "Verificar mi correo" uses the token up.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  if (new URL(request.url).searchParams.get("verificado") === "1") return { estado: "verificado" as const, token: "" };
  return loadTokenPage(request, (token) => isEmailVerificationUsable({ db: context.services.db, token, now: context.services.clock.now() }));
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  try {
    const { postulanteId } = await verifyEmail({ db: context.services.db, token: formData.get("token"), now: context.services.clock.now() });
    context.logger.info({ postulanteId }, "e-mail verified");
  } catch (error) {
    return data({ estado: "invalido" as const }, { status: refusal(error, context, "e-mail verification").status });
  }
  return redirect("/verificar-correo?verificado=1");
}

export default function VerificarCorreo() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const estado = actionData?.estado ?? loaderData.estado;

  if (estado === "verificado") {
    return (
      <TokenOutcome
        titulo="Correo verificado"
        tono="success"
        role="status"
        enlaces={
          <>
            <Link to="/mi-perfil">Ir a Mi Perfil</Link> · <Link to="/convocatorias">Ver convocatorias</Link>
          </>
        }
      >
        <p>Su correo electrónico fue verificado. Gracias.</p>
      </TokenOutcome>
    );
  }
  if (estado === "invalido") {
    return (
      <TokenOutcome titulo="El enlace no es válido o ya venció" tono="warning" enlaces={<Link to="/mi-perfil">Ir a Mi Perfil</Link>}>
        <p>
          Los enlaces de verificación sirven una sola vez y vencen a las 24 horas. Si aún no verificó su correo,
          ingrese a «Mi Perfil» y pida otro con «Reenviar».
        </p>
      </TokenOutcome>
    );
  }
  return (
    <TokenConfirmForm
      titulo="Verificar correo electrónico"
      texto="Presione el botón para confirmar que esta dirección de correo es suya."
      action="/verificar-correo"
      token={loaderData.token}
      boton="Verificar mi correo"
    />
  );
}
