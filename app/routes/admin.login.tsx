import { Form, redirect, useActionData, useLoaderData } from "react-router";
import { loginStaff } from "~/features/accounts/login-staff.server";
import { LOGIN_LABELS, loginStaffSchema } from "~/features/accounts/login.schema";
import { answerError } from "~/web/answer-error.server";
import { deviceCookie, deviceCookieValue, safeRedirectTo, sessionCookie, sessionToken } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField } from "~/ui/form";
import type { Route } from "./+types/admin.login";

export const meta: Route.MetaFunction = () => [{ title: "Ingreso del personal · CAS Online" }];

export function loader({ request }: Route.LoaderArgs) {
  return { redirectTo: safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "") };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const parsed = parseForm(loginStaffSchema, formData);
  if (!parsed.ok) {
    context.logger.info({ fields: Object.keys(parsed.errors) }, "staff login form invalid");
    return invalid(formData, parsed.errors);
  }
  try {
    const { sessionToken: token, staffId, deviceCookie: device } = await loginStaff({
      services: context.services,
      email: parsed.data.email,
      password: parsed.data.password,
      ip: context.ip,
      previousSessionToken: sessionToken(request, context),
      deviceCookie: deviceCookieValue(request, context),
    });
    context.logger.info({ staffId }, "staff signed in");
    return redirect(safeRedirectTo(parsed.data.redirectTo, "/admin"), {
      headers: [
        ["Set-Cookie", sessionCookie(context, token)],
        ["Set-Cookie", deviceCookie(context, device)],
      ],
    });
  } catch (error) {
    return answerError(error, formData, context, "staff login", { level: "warn" });
  }
}

export default function AdminLogin() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  // Posted back as typed: the action checks it with safeRedirectTo (a server-only module).
  const back = result?.values.redirectTo ?? redirectTo;
  return (
    <>
      <h1>Ingreso del personal</h1>
      <p>Acceso para el personal de la Oficina de Recursos Humanos. Los postulantes ingresan desde la página de inicio.</p>
      <Form method="post" action="/admin/login" className="panel">
        <ErrorSummary errors={result?.errors} labels={LOGIN_LABELS} />
        <CsrfInput />
        {back ? <input type="hidden" name="redirectTo" value={back} /> : null}
        <TextField
          name="email"
          type="email"
          label={LOGIN_LABELS.email}
          required
          errors={result?.errors}
          defaultValue={result?.values.email}
          autoComplete="username"
          maxLength={254}
        />
        <TextField
          name="password"
          type="password"
          label={LOGIN_LABELS.password}
          required
          errors={result?.errors}
          autoComplete="current-password"
        />
        <div className="actions">
          <button type="submit">Ingresar</button>
        </div>
      </Form>
    </>
  );
}
