import { Form, Link, redirect, useActionData, useLoaderData } from "react-router";
import { LOGIN_LABELS, requestPasswordResetSchema } from "~/features/accounts/login.schema";
import { requestPasswordReset, RESET_REQUESTED_MESSAGE } from "~/features/accounts/request-password-reset.server";
import { TIPOS_DOCUMENTO } from "~/features/accounts/documento";
import { answerError } from "~/web/answer-error.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, SelectField, TextField } from "~/ui/form";
import type { Route } from "./+types/recuperar-contrasena";

export const meta: Route.MetaFunction = () => [{ title: "¿Olvidó su contraseña? · CAS Online" }];

export function loader({ request }: Route.LoaderArgs) {
  return { enviado: new URL(request.url).searchParams.get("enviado") === "1", mensaje: RESET_REQUESTED_MESSAGE };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const parsed = parseForm(requestPasswordResetSchema, formData);
  if (!parsed.ok) {
    context.logger.info({ fields: Object.keys(parsed.errors) }, "password reset form invalid");
    return invalid(formData, parsed.errors);
  }
  try {
    await requestPasswordReset({
      services: context.services,
      tipoDocumento: parsed.data.tipoDocumento,
      numeroDocumento: parsed.data.numeroDocumento,
      ip: context.ip,
    });
  } catch (error) {
    return answerError(error, formData, context, "password reset request", { level: "warn" });
  }
  // Same answer, same redirect, whether or not an account matched.
  context.logger.info("password reset requested");
  return redirect("/recuperar-contrasena?enviado=1");
}

export default function RecuperarContrasena() {
  const { enviado, mensaje } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>¿Olvidó su contraseña?</h1>
      {enviado && !result ? (
        <>
          <p className="notice notice--success" role="status">
            {mensaje}
          </p>
          <p>El enlace vale 30 minutos y se puede usar una sola vez. Si no llega, revise la carpeta de correo no deseado.</p>
          <p>
            <Link to="/login">Volver a Ingresar</Link>
          </p>
        </>
      ) : (
        <Form method="post" action="/recuperar-contrasena" className="panel">
          <ErrorSummary errors={result?.errors} labels={LOGIN_LABELS} />
          <p>Ingrese su documento de identidad. Le enviaremos un enlace a su correo registrado para elegir una nueva contraseña.</p>
          <CsrfInput />
          <SelectField
            name="tipoDocumento"
            label={LOGIN_LABELS.tipoDocumento}
            required
            errors={result?.errors}
            options={TIPOS_DOCUMENTO}
            defaultValue={result?.values.tipoDocumento ?? "DNI"}
          />
          <TextField
            name="numeroDocumento"
            label={LOGIN_LABELS.numeroDocumento}
            required
            errors={result?.errors}
            defaultValue={result?.values.numeroDocumento}
            autoComplete="username"
            maxLength={20}
          />
          <div className="actions">
            <button type="submit">Enviar enlace</button>
            <Link to="/login">Volver a Ingresar</Link>
          </div>
        </Form>
      )}
    </>
  );
}
