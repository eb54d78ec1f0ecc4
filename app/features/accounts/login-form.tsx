import { Form, Link } from "react-router";
import { CsrfInput } from "~/ui/form";

/** The applicants' sign-in form, on the home page and on /login. */
export function LoginForm({ redirectTo }: { redirectTo?: string }) {
  return (
    <Form method="post" action="/login" className="panel">
      <h2>Ingresar</h2>
      <CsrfInput />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <p>
        <Link to="/recuperar-contrasena">¿Olvidaste tu contraseña?</Link>
      </p>
    </Form>
  );
}
