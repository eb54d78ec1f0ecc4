import { redirect, useActionData, useLoaderData } from "react-router";
import { LoginForm } from "~/features/accounts/login-form";
import { loginPostulante } from "~/features/accounts/login-postulante.server";
import { loginPostulanteSchema } from "~/features/accounts/login.schema";
import { answerError } from "~/web/answer-error.server";
import { deviceCookie, deviceCookieValue, safeRedirectTo, sessionCookie, sessionToken } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import type { Route } from "./+types/login";

/** Where an applicant lands after signing in when no page asked for it. */
const DEFAULT_LANDING = "/mi-perfil";

/** Notices other pages send here with ?aviso= (fixed keys: nothing personal in the URL). */
const AVISOS: Record<string, string> = {
  "contrasena-restablecida": "Su contraseña fue cambiada y se cerraron todas sus sesiones. Ingrese con la nueva contraseña.",
  "correo-recuperado":
    "Su cuenta volvió a su correo anterior y se cerraron todas sus sesiones. Si no reconoce el cambio, restablezca su contraseña con «¿Olvidaste tu contraseña?».",
};

export const meta: Route.MetaFunction = () => [{ title: "Ingresar · CAS Online" }];

export function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  return {
    redirectTo: safeRedirectTo(url.searchParams.get("redirectTo"), ""),
    aviso: AVISOS[url.searchParams.get("aviso") ?? ""] ?? null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const parsed = parseForm(loginPostulanteSchema, formData);
  if (!parsed.ok) {
    context.logger.info({ fields: Object.keys(parsed.errors) }, "login form invalid");
    return invalid(formData, parsed.errors);
  }
  try {
    const { sessionToken: token, postulanteId, deviceCookie: device } = await loginPostulante({
      services: context.services,
      tipoDocumento: parsed.data.tipoDocumento,
      numeroDocumento: parsed.data.numeroDocumento,
      password: parsed.data.password,
      ip: context.ip,
      previousSessionToken: sessionToken(request, context),
      deviceCookie: deviceCookieValue(request, context),
    });
    context.logger.info({ postulanteId }, "postulante signed in");
    return redirect(safeRedirectTo(parsed.data.redirectTo, DEFAULT_LANDING), {
      headers: [
        ["Set-Cookie", sessionCookie(context, token)],
        ["Set-Cookie", deviceCookie(context, device)],
      ],
    });
  } catch (error) {
    return answerError(error, formData, context, "login", { level: "warn" });
  }
}

export default function Login() {
  const { redirectTo, aviso } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const values = result?.values;
  return (
    <>
      <h1>Ingresar</h1>
      {aviso ? (
        <p className="notice notice--success" role="status">
          {aviso}
        </p>
      ) : null}
      <p>Ingrese con su documento de identidad y la contraseña que registró.</p>
      <LoginForm
        heading={false}
        errors={result?.errors}
        values={values}
        // Posted back as typed: the action checks it with safeRedirectTo (a server-only module).
        redirectTo={(values?.redirectTo ?? redirectTo) || undefined}
      />
    </>
  );
}
