import { Form, redirect } from "react-router";
import { logout } from "~/features/accounts/logout.server";
import { clearSessionCookie, sessionToken } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import { CsrfInput } from "~/ui/form";
import type { Route } from "./+types/admin.logout";

export const meta: Route.MetaFunction = () => [{ title: "Salir · Administración · CAS Online" }];

/** Staff "Salir": a POST with its CSRF token; a GET only offers the button. */
export async function action({ request, context }: Route.ActionArgs) {
  await readForm(request, context);
  await logout({ services: context.services, sessionToken: sessionToken(request, context) });
  context.logger.info("staff signed out");
  return redirect("/admin/login", { headers: { "Set-Cookie": clearSessionCookie(context) } });
}

export default function AdminLogout() {
  return (
    <>
      <h1>Salir</h1>
      <p>¿Desea cerrar su sesión de personal?</p>
      <Form method="post">
        <CsrfInput />
        <button type="submit">Salir</button>
      </Form>
    </>
  );
}
