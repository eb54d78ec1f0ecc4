import { useEffect, useState } from "react";
import { data, Form, redirect, useActionData, useLoaderData } from "react-router";
import { tiposFor, TIPOS_DOCUMENTO } from "~/features/accounts/documento";
import { NACIONALIDADES } from "~/features/accounts/paises";
import { PASO1_COOKIE, PASO1_TTL_MS, sealPaso1, unsealPaso1 } from "~/features/accounts/register-postulante.server";
import { REGISTRO_LABELS, registroPaso1Schema } from "~/features/accounts/registro.schema";
import { getPrincipal, safeRedirectTo } from "~/web/auth.server";
import { cookieName, readCookie, serializeCookie } from "~/web/cookies.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, SelectField, TextField, useFieldState } from "~/ui/form";
import type { Route } from "./+types/registro._index";

export function meta() {
  return [{ title: "Crear nuevo usuario · CAS Online" }];
}

/** "Crear nuevo usuario", step 1 (seed 2.1.1): nationality and identity document. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const principal = await getPrincipal(request, context);
  if (principal?.kind === "postulante") throw redirect("/mi-perfil");
  const { config, clock } = context.services;
  // Coming back from step 2 ("Cambiar"): what was chosen, from the signed cookie.
  const previous = unsealPaso1(
    config.sessionSecret,
    readCookie(request.headers.get("cookie"), cookieName(PASO1_COOKIE, config.secureCookies)),
    clock.now(),
  );
  // Where "POSTULAR" was going when the visitor chose "Crear nuevo usuario" (a path, never personal data).
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "");
  return data(
    { nacionalidades: NACIONALIDADES, previous, redirectTo },
    { headers: { "Cache-Control": "private, no-store" } },
  );
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const parsed = parseForm(registroPaso1Schema, formData);
  if (!parsed.ok) {
    context.logger.info({ fields: Object.keys(parsed.errors) }, "registro step 1 refused");
    return invalid(formData, parsed.errors);
  }
  const { config, clock } = context.services;
  const cookie = serializeCookie(cookieName(PASO1_COOKIE, config.secureCookies), sealPaso1(config.sessionSecret, parsed.data, clock.now()), {
    secure: config.secureCookies,
    maxAgeSeconds: PASO1_TTL_MS / 1000,
  });
  const redirectTo = safeRedirectTo(formData.get("redirectTo"), "");
  return redirect(redirectTo ? `/registro/datos?redirectTo=${encodeURIComponent(redirectTo)}` : "/registro/datos", {
    headers: { "Set-Cookie": cookie },
  });
}

export default function RegistroPaso1() {
  const { nacionalidades, previous, redirectTo } = useLoaderData<typeof loader>();
  const actionData = useActionData<FormErrors>();
  const errors = actionData?.errors;
  const values: Record<string, string> = actionData?.values ?? previous ?? {};
  // Both follow the selects, also when chosen before the page's script ran.
  const [nacionalidad, setNacionalidad] = useFieldState("nacionalidad", values.nacionalidad ?? "PE");
  const [tipoElegido, setTipoElegido] = useFieldState("tipoDocumento", values.tipoDocumento ?? "");
  // Without JavaScript the list cannot follow the nationality: all four types are offered
  // and the server checks the pair. Once hydrated, only the types for the nationality.
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  const allowed = tiposFor(nacionalidad);
  const tipos = hydrated ? TIPOS_DOCUMENTO.filter((t) => allowed.includes(t.value)) : TIPOS_DOCUMENTO;
  const tipoDefault =
    tipoElegido && (!hydrated || allowed.includes(tipoElegido as never))
      ? tipoElegido
      : allowed.length === 1
        ? allowed[0]
        : "";

  return (
    <>
      <h1>Crear nuevo usuario</h1>
      <p>Paso 1 de 2. Ingrese su nacionalidad y su documento de identidad.</p>
      <ErrorSummary errors={errors} labels={REGISTRO_LABELS} />
      <Form method="post" className="panel" noValidate>
        <CsrfInput />
        {redirectTo ? <input type="hidden" name="redirectTo" value={redirectTo} /> : null}
        <SelectField
          name="nacionalidad"
          label="Nacionalidad"
          required
          errors={errors}
          options={nacionalidades}
          defaultValue={nacionalidad}
          onChange={(e) => setNacionalidad(e.target.value)}
        />
        <SelectField
          key={hydrated ? `tipos-${allowed.join()}` : "tipos-todos"}
          name="tipoDocumento"
          label="Tipo de documento"
          required
          errors={errors}
          hint="Peruanos: DNI. Extranjeros: Carnet de extranjería, Pasaporte o PTP/CPP."
          options={tipos}
          placeholder={tipos.length > 1 ? "Seleccione" : undefined}
          defaultValue={tipoDefault}
          onChange={(e) => setTipoElegido(e.target.value)}
        />
        <TextField
          name="numeroDocumento"
          label="Número de documento"
          required
          errors={errors}
          defaultValue={values.numeroDocumento}
          autoComplete="off"
          maxLength={40}
          hint="Sin espacios ni guiones. El DNI tiene 8 dígitos."
        />
        <div className="actions">
          <button type="submit">Siguiente</button>
        </div>
      </Form>
    </>
  );
}
