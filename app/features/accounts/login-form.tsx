import { Form, Link } from "react-router";
import { CsrfInput, ErrorSummary, SelectField, TextField, type FieldErrors } from "~/ui/form";
import { TIPOS_DOCUMENTO } from "./documento";
import { LOGIN_LABELS } from "./login.schema";

/**
 * The applicants' sign-in form, on the home page and on /login. It always posts to
 * /login, which renders the errors (the home page only ever shows it empty).
 */
export function LoginForm({
  redirectTo,
  errors,
  values,
  heading = true,
}: {
  redirectTo?: string;
  errors?: FieldErrors;
  values?: Record<string, string>;
  /** The home page titles the panel; /login has its own <h1>. */
  heading?: boolean;
}) {
  return (
    <Form method="post" action="/login" className="panel" aria-labelledby={heading ? "ingresar-titulo" : undefined}>
      {heading ? <h2 id="ingresar-titulo">Ingresar</h2> : null}
      <ErrorSummary errors={errors} labels={LOGIN_LABELS} />
      <CsrfInput />
      {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
      <SelectField
        name="tipoDocumento"
        label={LOGIN_LABELS.tipoDocumento}
        required
        errors={errors}
        options={TIPOS_DOCUMENTO}
        defaultValue={values?.tipoDocumento ?? "DNI"}
      />
      <TextField
        name="numeroDocumento"
        label={LOGIN_LABELS.numeroDocumento}
        required
        errors={errors}
        defaultValue={values?.numeroDocumento}
        autoComplete="username"
        maxLength={20}
      />
      <TextField
        name="password"
        type="password"
        label={LOGIN_LABELS.password}
        required
        errors={errors}
        autoComplete="current-password"
      />
      <div className="actions">
        <button type="submit">Ingresar</button>
        <Link to="/recuperar-contrasena">¿Olvidó su contraseña?</Link>
      </div>
      <p>
        ¿No tiene cuenta? <Link to={redirectTo ? `/registro?redirectTo=${encodeURIComponent(redirectTo)}` : "/registro"}>Crear nuevo usuario</Link>
      </p>
    </Form>
  );
}
