import { useEffect, useState } from "react";
import { data, Form, Link, redirect, useActionData, useLoaderData, type AppLoadContext } from "react-router";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import { NACIONALIDADES, PAISES } from "~/features/accounts/paises";
import { passwordProblem } from "~/features/accounts/password-policy.server";
import { PASO1_COOKIE, registerPostulante, unsealPaso1 } from "~/features/accounts/register-postulante.server";
import { PASSWORD_HINT, PasswordStrength } from "~/features/accounts/registro-password";
import { ACTUALIZAR_UBIGEO, UbigeoFields, type UbigeoOptions } from "~/features/accounts/registro-ubigeo";
import { REGISTRO_LABELS, registroDatosSchema } from "~/features/accounts/registro.schema";
import { isDistrito, ubigeoChoices } from "~/features/ubigeo/ubigeo.server";
import { refusal } from "~/web/answer-error.server";
import { safeRedirectTo } from "~/web/auth.server";
import { cookieName, readCookie, serializeCookie } from "~/web/cookies.server";
import { echoValues, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CheckboxField, CsrfInput, ErrorSummary, RadioGroup, SelectField, TextField, useFieldState } from "~/ui/form";
import type { Route } from "./+types/registro.datos";

export function meta() {
  return [{ title: "Registrar Datos de Usuario · CAS Online" }];
}

type ActionData = FormErrors & { ubigeo: UbigeoOptions };

/** Step 1's answers from the signed cookie (see register-postulante.server.ts); without them, back to step 1. */
function requirePaso1(request: Request, context: AppLoadContext) {
  const { config, clock } = context.services;
  const cookie = readCookie(request.headers.get("cookie"), cookieName(PASO1_COOKIE, config.secureCookies));
  const paso1 = unsealPaso1(config.sessionSecret, cookie, clock.now());
  if (!paso1) throw redirect("/registro");
  return paso1;
}

/** The selects' options for what was chosen so far (a provincia outside its departamento is dropped). */
function ubigeoFor(values: Record<string, string>): UbigeoOptions {
  const departamento = /^\d{2}$/.test(values.departamento ?? "") ? values.departamento : undefined;
  const provincia = departamento && values.provincia?.startsWith(departamento) ? values.provincia : undefined;
  return ubigeoChoices({ departamento, provincia });
}

/** "Crear nuevo usuario", step 2: "Registrar Datos de Usuario" (seed 2.1.1). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const paso1 = requirePaso1(request, context);
  return data(
    {
      paso1: {
        nacionalidad: NACIONALIDADES.find((n) => n.value === paso1.nacionalidad)?.label ?? paso1.nacionalidad,
        peruano: paso1.nacionalidad === "PE",
        tipoDocumento: tipoDocumentoLabel(paso1.tipoDocumento),
        numeroDocumento: paso1.numeroDocumento,
      },
      paises: PAISES,
      ubigeo: ubigeoFor({}),
      redirectTo: safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), ""),
    },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, context }: Route.ActionArgs) {
  const paso1 = requirePaso1(request, context);
  const formData = await readForm(request, context);
  const values = echoValues(formData);
  const answer = (errors: Record<string, string>, status: number, extra: Partial<ActionData> = {}) =>
    data({ errors, values, ubigeo: ubigeoFor(values), ...extra } satisfies ActionData, { status });

  // No JavaScript: the secondary button fills the next select; nothing is checked yet.
  if (formData.get(ACTUALIZAR_UBIGEO.name) === ACTUALIZAR_UBIGEO.value) return answer({}, 200);

  const { services } = context;
  const schema = registroDatosSchema({ paso1, today: () => services.clock.now(), checks: { passwordProblem, isDistrito } });
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) {
    context.logger.info({ fields: Object.keys(parsed.errors) }, "registro step 2 refused");
    // The summary lists the problems in the order of the form.
    const order = Object.keys(REGISTRO_LABELS);
    const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : -1);
    return answer(Object.fromEntries(Object.entries(parsed.errors).sort(([a], [b]) => rank(a) - rank(b))), 422);
  }
  try {
    const result = await registerPostulante({
      services,
      paso1,
      datos: parsed.data,
      baseUrl: services.config.baseUrl,
      ip: context.ip,
    });
    // The page says the same either way (issue 11); only the log knows which.
    if (result.outcome === "registrado") context.logger.info({ postulanteId: result.postulanteId }, "postulante registered");
    else context.logger.warn("registro: the document or the e-mail already had an account; its owner was mailed");
  } catch (error) {
    const refused = refusal(error, context, "registro", { level: "warn" });
    return answer(refused.fieldErrors(), refused.status);
  }
  // No session: a new account and an existing one get the same answer, so neither signs in here.
  const headers = new Headers();
  headers.append(
    "Set-Cookie",
    serializeCookie(cookieName(PASO1_COOKIE, services.config.secureCookies), "", { secure: services.config.secureCookies, maxAgeSeconds: 0 }),
  );
  const redirectTo = safeRedirectTo(formData.get("redirectTo"), "");
  return redirect(redirectTo ? `/registro/bienvenida?redirectTo=${encodeURIComponent(redirectTo)}` : "/registro/bienvenida", { headers });
}

export default function RegistroDatos() {
  const { paso1, paises, ubigeo, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<ActionData>();
  const errors = actionData?.errors;
  const values = actionData?.values ?? {};
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const [pais, setPais] = useFieldState("paisResidencia", values.paisResidencia ?? "PE");

  return (
    <>
      <h1>Registrar Datos de Usuario</h1>
      <p>Paso 2 de 2. Complete todos los datos y presione «Registrar».</p>
      <ErrorSummary errors={errors} labels={REGISTRO_LABELS} />
      <section aria-labelledby="documento-titulo" className="panel">
        <h2 id="documento-titulo">Documento de identidad</h2>
        <dl className="summary">
          <dt>Nacionalidad</dt>
          <dd>{paso1.nacionalidad}</dd>
          <dt>Tipo de documento</dt>
          <dd>{paso1.tipoDocumento}</dd>
          <dt>Número de documento</dt>
          <dd>{paso1.numeroDocumento}</dd>
        </dl>
        <p>
          <Link to={redirectTo ? `/registro?redirectTo=${encodeURIComponent(redirectTo)}` : "/registro"}>Cambiar documento</Link>
        </p>
      </section>
      <Form method="post" className="panel" noValidate>
        <CsrfInput />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        {/* Enter in a text field submits "Registrar", not the ubigeo refresh further down. */}
        <button type="submit" hidden tabIndex={-1}>
          Registrar
        </button>
        <h2>Datos personales</h2>
        <TextField name="nombres" label="Nombres" required errors={errors} defaultValue={values.nombres} autoComplete="given-name" maxLength={60} />
        <TextField name="apellidoPaterno" label="Apellido paterno" required errors={errors} defaultValue={values.apellidoPaterno} autoComplete="family-name" maxLength={60} />
        <TextField name="apellidoMaterno" label="Apellido materno" required={paso1.peruano} errors={errors} defaultValue={values.apellidoMaterno} maxLength={60} />
        <TextField name="fechaNacimiento" label="Fecha de nacimiento" type="date" required errors={errors} defaultValue={values.fechaNacimiento} autoComplete="bday" />
        <RadioGroup
          name="sexo"
          label="Sexo"
          required
          errors={errors}
          defaultValue={values.sexo}
          options={[
            { value: "F", label: "Femenino" },
            { value: "M", label: "Masculino" },
          ]}
        />

        <h2>Contacto</h2>
        <TextField name="email" label="Correo electrónico" type="email" required errors={errors} defaultValue={values.email} autoComplete="email" maxLength={254} hint="Le enviaremos un enlace para verificarlo." />
        <TextField name="emailConfirmacion" label="Confirmar correo electrónico" type="email" required errors={errors} defaultValue={values.emailConfirmacion} autoComplete="email" maxLength={254} />
        <TextField name="celular" label="Celular" type="tel" required errors={errors} defaultValue={values.celular} autoComplete="tel" inputMode="tel" maxLength={20} hint="9 dígitos, o con el código de país (+…)." />
        <TextField name="telefono" label="Teléfono" type="tel" errors={errors} defaultValue={values.telefono} inputMode="tel" maxLength={20} />

        <h2>Domicilio</h2>
        <SelectField name="paisResidencia" label="País de residencia" required errors={errors} options={paises} defaultValue={pais} onChange={(e) => setPais(e.target.value)} />
        <TextField name="direccion" label="Dirección" required errors={errors} defaultValue={values.direccion} autoComplete="street-address" maxLength={200} />
        {/* Hidden rather than removed, so switching the country back keeps the choice. */}
        <div hidden={pais !== "PE"}>
          <UbigeoFields options={actionData?.ubigeo ?? ubigeo} values={values} errors={errors} hydrated={hydrated} />
        </div>

        <h2>Contraseña</h2>
        <PasswordStrength numeroDocumento={paso1.numeroDocumento} hydrated={hydrated}>
          <TextField name="password" label="Contraseña" type="password" required errors={errors} autoComplete="new-password" maxLength={128} hint={PASSWORD_HINT} />
        </PasswordStrength>
        <TextField name="passwordConfirmacion" label="Confirmar contraseña" type="password" required errors={errors} autoComplete="new-password" maxLength={128} />

        <CheckboxField
          name="consentimiento"
          errors={errors}
          defaultChecked={values.consentimiento === "on"}
          label={
            <>
              Acepto el tratamiento de mis datos personales para los procesos CAS, conforme a la Ley N.° 29733, Ley de
              Protección de Datos Personales, y al{" "}
              <a href="/privacidad" target="_blank" rel="noopener">
                Aviso de privacidad (se abre en otra pestaña)
              </a>
              .
            </>
          }
        />
        <div className="actions">
          <button type="submit">Registrar</button>
        </div>
      </Form>
    </>
  );
}
