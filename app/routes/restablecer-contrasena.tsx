import { data, Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { LOGIN_LABELS, resetPasswordSchema } from "~/features/accounts/login.schema";
import {
  findResetLink, resetPassword,
} from "~/features/accounts/reset-password.server";
import { refusal } from "~/web/answer-error.server";
import { clearSessionCookie } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField } from "~/ui/form";
import type { Route } from "./+types/restablecer-contrasena";

/**
 * The page's URL holds a live token: never cached, never sent on as a referrer to another site (the
 * meta tag narrows the site-wide Referrer-Policy header for this page only).
 */
export const meta: Route.MetaFunction = () => [
  { title: "Restablecer contraseña · CAS Online" },
  // "same-origin", not "no-referrer": under "no-referrer" the browser posts the form with
  // `Origin: null`, which React Router's action check refuses with 400 (seen without JavaScript).
  { name: "referrer", content: "same-origin" },
];

export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store" });

export async function loader({ request, context }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const link = await findResetLink(context.services.db, token, context.services.clock.now());
  if (!link) {
    context.logger.info("password reset link not usable");
    return data({ valid: false as const, token: "" }, { status: 410 });
  }
  return { valid: true as const, token };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const parsed = parseForm(resetPasswordSchema, formData);
  if (!parsed.ok) {
    if (parsed.errors.token) return data({ linkInvalid: true as const }, { status: 410 });
    return invalid(formData, parsed.errors);
  }
  try {
    const { postulanteId } = await resetPassword({
      services: context.services,
      token: parsed.data.token,
      password: parsed.data.password,
    });
    context.logger.info({ postulanteId }, "password reset; all sessions ended");
  } catch (error) {
    const refused = refusal(error, context, "password reset");
    if (refused.code === "cuenta.enlace_restablecer_invalido") return data({ linkInvalid: true as const }, { status: refused.status });
    return invalid(formData, refused.fieldErrors(), refused.status);
  }
  // Every session ended, this browser's too: sign in again with the new password.
  return redirect("/login?aviso=contrasena-restablecida", { headers: { "Set-Cookie": clearSessionCookie(context) } });
}

export default function RestablecerContrasena() {
  const { valid, token } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  if (!valid || (result && "linkInvalid" in result)) {
    return (
      <>
        <h1>El enlace ya no es válido</h1>
        <p>
          El enlace para restablecer la contraseña venció (vale 30 minutos) o ya fue usado. Puede pedir uno nuevo: llegará a su
          correo registrado.
        </p>
        <p>
          <Link to="/recuperar-contrasena" className="button">
            Pedir un nuevo enlace
          </Link>
        </p>
      </>
    );
  }
  const errors = result && "errors" in result ? result.errors : undefined;
  return (
    <>
      <h1>Restablecer contraseña</h1>
      <Form method="post" className="panel">
        <ErrorSummary errors={errors} labels={{ ...LOGIN_LABELS, password: "Nueva contraseña" }} />
        <p>Elija una nueva contraseña. Al guardarla se cerrarán todas sus sesiones abiertas.</p>
        <CsrfInput />
        <input type="hidden" name="token" value={token} />
        <TextField
          name="password"
          type="password"
          label="Nueva contraseña"
          required
          errors={errors}
          autoComplete="new-password"
          hint="Al menos 8 caracteres, con letras y números. No use su número de documento ni su fecha de nacimiento."
        />
        <TextField
          name="passwordConfirm"
          type="password"
          label={LOGIN_LABELS.passwordConfirm}
          required
          errors={errors}
          autoComplete="new-password"
        />
        <div className="actions">
          <button type="submit">Guardar contraseña</button>
        </div>
      </Form>
    </>
  );
}
