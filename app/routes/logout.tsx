import { Form, redirect } from "react-router";
import { logout } from "~/features/accounts/logout.server";
import { clearSessionCookie, sessionToken } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import { CsrfInput } from "~/ui/form";
import type { Route } from "./+types/logout";

export const meta: Route.MetaFunction = () => [{ title: "Salir · CAS Online" }];

/** "Salir" is a POST (with its CSRF token); a GET only offers the button, it never signs out. */
export async function action({ request, context }: Route.ActionArgs) {
  await readForm(request, context);
  await logout({ services: context.services, sessionToken: sessionToken(request, context) });
  context.logger.info("signed out");
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie(context) } });
}

export default function Logout() {
  return (
    <>
      <h1>Salir</h1>
      <p>¿Desea cerrar su sesión en CAS Online?</p>
      <Form method="post">
        <CsrfInput />
        <button type="submit">Salir</button>
      </Form>
    </>
  );
}
