import { data, Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { isUndoLinkUsable, undoEmailChange } from "~/features/accounts/undo-email-change.server";
import { refusal } from "~/web/answer-error.server";
import { clearSessionCookie } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import { CsrfInput } from "~/ui/form";
import type { Route } from "./+types/deshacer-cambio-correo";

/**
 * The link e-mailed to the old address when Mi Perfil changes the e-mail (issue 11). The page's
 * URL holds a live token: never cached, never sent on as a referrer to another site (as
 * restablecer-contrasena.tsx). GET only shows a button: mail scanners open links.
 */
export const meta: Route.MetaFunction = () => [
  { title: "Recuperar su correo anterior · CAS Online" },
  { name: "referrer", content: "same-origin" },
];

export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  if (!(await isUndoLinkUsable(context.services.db, token, context.services.clock.now()))) {
    context.logger.info("e-mail change undo link not usable");
    return data({ valid: false as const, token: "" }, { status: 410 });
  }
  return { valid: true as const, token };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const token = formData.get("token");
  try {
    const { postulanteId } = await undoEmailChange({ services: context.services, token: typeof token === "string" ? token : "" });
    context.logger.info({ postulanteId }, "e-mail change undone; all sessions ended");
  } catch (error) {
    const refused = refusal(error, context, "e-mail change undo", { level: "warn" });
    return data({ problem: refused.message }, { status: refused.status });
  }
  // Every session ended, this browser's too.
  return redirect("/login?aviso=correo-recuperado", { headers: { "Set-Cookie": clearSessionCookie(context) } });
}

export default function DeshacerCambioCorreo() {
  const { valid, token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!valid || result) {
    return (
      <>
        <h1>El enlace ya no es válido</h1>
        <p>{result?.problem ?? "El enlace para recuperar su correo anterior venció (vale 7 días) o ya fue usado."}</p>
        <p>
          Si no reconoce un cambio en su cuenta, restablezca su contraseña y comuníquese con la Oficina de Recursos Humanos.
        </p>
        <p>
          <Link to="/recuperar-contrasena" className="button">
            Restablecer contraseña
          </Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Recuperar su correo anterior</h1>
      <Form method="post" className="panel">
        <p>
          El correo electrónico de su cuenta fue cambiado. Si usted no hizo ese cambio, vuelva a su correo anterior: se
          cerrarán todas las sesiones abiertas de su cuenta.
        </p>
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <div className="actions">
          <button type="submit">Recuperar mi correo anterior</button>
        </div>
      </Form>
    </>
  );
}
