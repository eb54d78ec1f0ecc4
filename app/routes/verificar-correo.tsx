import { data, Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { isEmailVerificationUsable, verifyEmail } from "~/features/accounts/verify-email.server";
import { refusal } from "~/web/answer-error.server";
import { readForm } from "~/web/forms.server";
import { CsrfInput } from "~/ui/form";
import type { Route } from "./+types/verificar-correo";

export function meta() {
  return [{ title: "Verificar correo · CAS Online" }];
}

// The page carries a token in its address: never cached, never sent on as a referrer to
// another site. "same-origin", not "no-referrer": under "no-referrer" the browser posts this
// page's forms (and, after client-side navigation, every later native form such as "Salir")
// with `Origin: null`, which React Router's action check refuses with 400.
export function headers() {
  return { "Cache-Control": "no-store", "Referrer-Policy": "same-origin" };
}

type Estado = "listo" | "verificado" | "invalido";

/**
 * The e-mailed link opens this page; it does not verify by itself. Mail scanners fetch
 * links to inspect them, so only the POST of "Verificar mi correo" uses the token up.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  if (url.searchParams.get("verificado") === "1") return { estado: "verificado" as Estado, token: "" };
  const token = url.searchParams.get("token") ?? "";
  const usable = await isEmailVerificationUsable({ db: context.services.db, token, now: context.services.clock.now() });
  if (!usable) return data({ estado: "invalido" as Estado, token: "" }, { status: token ? 410 : 400 });
  return { estado: "listo" as Estado, token };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  try {
    const { postulanteId } = await verifyEmail({ db: context.services.db, token: formData.get("token"), now: context.services.clock.now() });
    context.logger.info({ postulanteId }, "e-mail verified");
  } catch (error) {
    return data({ estado: "invalido" as Estado }, { status: refusal(error, context, "e-mail verification").status });
  }
  return redirect("/verificar-correo?verificado=1");
}

export default function VerificarCorreo() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const estado = actionData?.estado ?? loaderData.estado;

  if (estado === "verificado") {
    return (
      <>
        <h1>Correo verificado</h1>
        <div className="notice notice--success" role="status">
          <p>Su correo electrónico fue verificado. Gracias.</p>
        </div>
        <p>
          <Link to="/mi-perfil">Ir a Mi Perfil</Link> · <Link to="/convocatorias">Ver convocatorias</Link>
        </p>
      </>
    );
  }
  if (estado === "invalido") {
    return (
      <>
        <h1>El enlace no es válido o ya venció</h1>
        <div className="notice notice--warning">
          <p>
            Los enlaces de verificación sirven una sola vez y vencen a las 24 horas. Si aún no verificó su correo,
            ingrese a «Mi Perfil» y pida otro con «Reenviar».
          </p>
        </div>
        <p>
          <Link to="/mi-perfil">Ir a Mi Perfil</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Verificar correo electrónico</h1>
      <p>Presione el botón para confirmar que esta dirección de correo es suya.</p>
      {/* Posted to the bare path: the token travels in the body, not again in the URL. */}
      <Form method="post" action="/verificar-correo">
        <CsrfInput />
        <input type="hidden" name="token" value={loaderData.token} />
        <div className="actions">
          <button type="submit">Verificar mi correo</button>
        </div>
      </Form>
    </>
  );
}
