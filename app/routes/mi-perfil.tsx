import { data, Form, Link, redirect } from "react-router";
import { Fragment, useEffect, useState } from "react";
import { changePassword } from "~/features/accounts/change-password.server";
import { tipoDocumentoLabel } from "~/features/accounts/documento";
import { NACIONALIDADES, PAISES } from "~/features/accounts/paises";
import { cambiarPasswordSchema, datosContactoSchema, PERFIL_LABELS } from "~/features/accounts/perfil.schema";
import { resendEmailVerification } from "~/features/accounts/resend-email-verification.server";
import { ACTUALIZAR_UBIGEO, UbigeoFields, type UbigeoOptions as UbigeoChoices } from "~/features/accounts/registro-ubigeo";
import { updatePerfil } from "~/features/accounts/update-perfil.server";
import { isDistrito, ubigeoChoices } from "~/features/ubigeo/ubigeo.server";
import { answerError } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { echoValues, invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, SelectField, TextField, useFieldState, useResetAfterSubmit } from "~/ui/form";
import type { Route } from "./+types/mi-perfil";

/**
 * "Mi Perfil" (seed 2.1.7): identity shown as text, not editable; "Datos de contacto"
 * and "Cambiar contraseña" editable; the unverified-e-mail notice with "Reenviar".
 */
export function meta() {
  return [{ title: "Mi Perfil · CAS Online" }];
}

/** Notices after a redirect (PRG); the query carries a flag, never personal data. */
const NOTICES: Record<string, { text: string; kind: "success" | "info" }> = {
  registrado: { text: "Su cuenta fue creada. Le enviamos un correo para verificar su dirección.", kind: "success" },
  guardado: { text: "Sus datos de contacto fueron guardados.", kind: "success" },
  correo: {
    text: "Sus datos de contacto fueron guardados. Le enviamos un correo a su nueva dirección para verificarla.",
    kind: "success",
  },
  sincambios: { text: "No había cambios que guardar.", kind: "info" },
  reenviado: { text: "Le enviamos un nuevo enlace de verificación a su correo electrónico.", kind: "success" },
  verificado: { text: "Su correo electrónico ya está verificado.", kind: "info" },
  password: { text: "Su contraseña fue cambiada. Cerramos sus sesiones abiertas en otros equipos.", kind: "success" },
};

const SEXO: Record<string, string> = { F: "Femenino", M: "Masculino" };

/** "1990-04-15" → "15/04/1990" (a calendar date: no time zone involved). */
const ddmmyyyy = (iso: string) => iso.split("-").reverse().join("/");

export async function loader({ request, context }: Route.LoaderArgs) {
  const { postulante: p } = await requirePostulante(request, context);
  const url = new URL(request.url);
  const noticeKey = Object.keys(NOTICES).find((k) => url.searchParams.has(k));
  const departamento = p.ubigeo?.slice(0, 2) ?? "";
  const provincia = p.ubigeo?.slice(0, 4) ?? "";
  return {
    identidad: [
      { label: "Nacionalidad", value: NACIONALIDADES.find((n) => n.value === p.nacionalidad)?.label ?? p.nacionalidad },
      { label: "Tipo y número de documento", value: `${tipoDocumentoLabel(p.tipoDocumento)} ${p.numeroDocumento}` },
      { label: "Nombres", value: p.nombres },
      { label: "Apellido paterno", value: p.apellidoPaterno },
      { label: "Apellido materno", value: p.apellidoMaterno ?? "—" },
      { label: "Fecha de nacimiento", value: ddmmyyyy(p.fechaNacimiento) },
      { label: "Sexo", value: SEXO[p.sexo] ?? p.sexo },
    ],
    contacto: {
      email: p.email,
      celular: p.celular,
      telefono: p.telefono ?? "",
      paisResidencia: p.paisResidencia,
      direccion: p.direccion,
      departamento,
      provincia,
      distrito: p.ubigeo ?? "",
    },
    emailVerificado: Boolean(p.emailVerifiedAt),
    choices: ubigeoChoices({ departamento, provincia }),
    notice: noticeKey ? NOTICES[noticeKey]! : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { principal, postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const { services, logger } = context;
  const intent = formData.get("intent");

  if (formData.get(ACTUALIZAR_UBIGEO.name) === ACTUALIZAR_UBIGEO.value) {
    // No-JS cascade: the same form again, with the next level's options and no errors.
    const departamento = String(formData.get("departamento") ?? "").slice(0, 2);
    const provincia = String(formData.get("provincia") ?? "").slice(0, 4);
    return data({
      errors: {},
      values: echoValues(formData),
      choices: ubigeoChoices({ departamento, provincia: departamento && provincia.startsWith(departamento) ? provincia : "" }),
    });
  }

  try {
    if (intent === "reenviar") {
      const result = await resendEmailVerification({
        db: services.db,
        postulanteId: postulante.id,
        baseUrl: services.config.baseUrl,
        entity: await services.entidad.current(),
        now: services.clock.now(),
      });
      if (result === "enviado") services.mailWorker.kick();
      logger.info({ result }, "mi-perfil: verification e-mail requested again");
      return redirect(result === "enviado" ? "/mi-perfil?reenviado=1" : "/mi-perfil?verificado=1");
    }

    if (intent === "password") {
      const parsed = parseForm(cambiarPasswordSchema, formData);
      if (!parsed.ok) {
        logger.info({ fields: Object.keys(parsed.errors) }, "mi-perfil: password form invalid");
        return invalid(formData, parsed.errors);
      }
      await changePassword({
        services,
        postulanteId: postulante.id,
        currentSessionHash: principal.sessionHash,
        passwordActual: parsed.data.passwordActual,
        passwordNueva: parsed.data.passwordNueva,
      });
      logger.info("mi-perfil: password changed, other sessions ended");
      return redirect("/mi-perfil?password=1");
    }

    const parsed = parseForm(datosContactoSchema(isDistrito), formData);
    if (!parsed.ok) {
      logger.info({ fields: Object.keys(parsed.errors) }, "mi-perfil: contact form invalid");
      return invalid(formData, parsed.errors);
    }
    const { changed } = await updatePerfil({ services, postulanteId: postulante.id, input: parsed.data });
    logger.info({ fields: changed }, "mi-perfil: contact data saved");
    return redirect(`/mi-perfil?${!changed.length ? "sincambios" : changed.includes("email") ? "correo" : "guardado"}=1`);
  } catch (error) {
    // A second "Reenviar" too soon is ordinary; the other refusals (a wrong password…) are worth a warning.
    return answerError(error, formData, context, "mi-perfil", { level: (e) => (e.code === "cuenta.reenvio_muy_pronto" ? "info" : "warn") });
  }
}

type ActionData = FormErrors & { choices?: UbigeoChoices };

export default function MiPerfil({ loaderData, actionData }: Route.ComponentProps) {
  const { identidad, contacto, emailVerificado, notice } = loaderData;
  // Each form starts again from the server's values after its own save, and only then.
  const contactoReset = useResetAfterSubmit();
  const passwordReset = useResetAfterSubmit();
  const result = actionData as ActionData | undefined;
  const posted = result?.values.intent;
  const passwordPosted = posted === "password";
  const contactoPosted = Boolean(result) && posted !== "password" && posted !== "reenviar";
  const values = contactoPosted ? { ...contacto, ...result!.values } : contacto;
  const choices = (contactoPosted && result?.choices) || loaderData.choices;
  const contactoErrors = contactoPosted ? result?.errors : undefined;
  const passwordErrors = passwordPosted ? result?.errors : undefined;

  return (
    <>
      <h1>Mi Perfil</h1>
      {notice ? (
        <div className={`notice notice--${notice.kind}`} role="status">
          <p>{notice.text}</p>
        </div>
      ) : null}
      {posted === "reenviar" && result?.errors.form ? (
        <div className="notice notice--warning" role="alert">
          <p>{result.errors.form}</p>
        </div>
      ) : null}
      {emailVerificado ? null : (
        <div className="notice notice--warning">
          <p>Su correo electrónico no está verificado.</p>
          <p>Abra el enlace que le enviamos a {contacto.email}. Si no lo encuentra, pida uno nuevo.</p>
          <Form method="post" action="/mi-perfil" replace>
            <CsrfInput />
            <button type="submit" name="intent" value="reenviar" className="button button--secondary">
              Reenviar
            </button>
          </Form>
        </div>
      )}

      <section aria-labelledby="datos-personales">
        <h2 id="datos-personales">Datos personales</h2>
        <p>
          Estos datos identifican su cuenta y no se pueden modificar aquí. Si alguno no es correcto, comuníquese con la
          Oficina de Recursos Humanos.
        </p>
        <dl className="summary">
          {identidad.map((row) => (
            <Fragment key={row.label}>
              <dt>{row.label}</dt>
              <dd>{row.value}</dd>
            </Fragment>
          ))}
        </dl>
      </section>

      <ContactoForm
        key={contactoReset.key}
        onSubmit={contactoReset.onSubmit}
        values={values}
        choices={choices}
        errors={contactoErrors}
      />

      <section aria-labelledby="cambiar-contrasena">
        <h2 id="cambiar-contrasena">Cambiar contraseña</h2>
        <Form method="post" action="/mi-perfil" key={passwordReset.key} onSubmit={passwordReset.onSubmit} noValidate>
          <CsrfInput />
          <ErrorSummary errors={passwordErrors} labels={PERFIL_LABELS} />
          <TextField
            name="passwordActual"
            label="Contraseña actual"
            type="password"
            autoComplete="current-password"
            required
            errors={passwordErrors}
          />
          <TextField
            name="passwordNueva"
            label="Nueva contraseña"
            type="password"
            autoComplete="new-password"
            required
            errors={passwordErrors}
            hint="Al menos 8 caracteres, con letras y números. No use su número de documento ni su fecha de nacimiento."
          />
          <TextField
            name="passwordConfirmacion"
            label="Confirmar nueva contraseña"
            type="password"
            autoComplete="new-password"
            required
            errors={passwordErrors}
          />
          <p className="hint">Al cambiarla se cerrarán sus sesiones abiertas en otros equipos.</p>
          <div className="actions">
            <button type="submit" name="intent" value="password">
              Cambiar contraseña
            </button>
          </div>
        </Form>
      </section>
      <h2>Alertas de convocatorias</h2>
      <p>
        Vea y elimine las alertas que le envían por correo las convocatorias nuevas: <Link to="/alertas">Mis alertas</Link>.
      </p>
    </>
  );
}

type ContactoValues = Route.ComponentProps["loaderData"]["contacto"];

/** "Datos de contacto"; keyed by its own saves, so that a save starts it from the server's values. */
function ContactoForm({
  values, choices, errors, onSubmit,
}: {
  values: ContactoValues;
  choices: UbigeoChoices;
  errors?: Record<string, string>;
  onSubmit: () => void;
}) {
  // With JavaScript the ubigeo selects hide for an address abroad; without it they stay and the server ignores them.
  const [pais, setPais] = useFieldState("paisResidencia", values.paisResidencia);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
      <section aria-labelledby="datos-contacto">
        <h2 id="datos-contacto">Datos de contacto</h2>
        <Form method="post" action="/mi-perfil" onSubmit={onSubmit} noValidate>
          <CsrfInput />
          {/* Enter in a text field submits "Guardar cambios", not the ubigeo refresh below. */}
          <button type="submit" name="intent" value="contacto" hidden tabIndex={-1}>
            Guardar cambios
          </button>
          <ErrorSummary errors={errors} labels={PERFIL_LABELS} />
          <TextField
            name="email"
            label="Correo electrónico"
            type="email"
            autoComplete="email"
            required
            errors={errors}
            defaultValue={values.email}
            hint="Si lo cambia, le enviaremos un enlace para verificar la nueva dirección."
          />
          <TextField
            name="passwordCorreo"
            label={PERFIL_LABELS.passwordCorreo!}
            type="password"
            autoComplete="current-password"
            errors={errors}
            hint="Solo si cambia el correo electrónico: por seguridad, ingrese la contraseña con la que ingresa."
          />
          <TextField
            name="celular"
            label="Celular"
            type="tel"
            autoComplete="tel"
            inputMode="tel"
            required
            errors={errors}
            defaultValue={values.celular}
            hint="9 dígitos, o con el código de país si es extranjero (+…)."
          />
          <TextField
            name="telefono"
            label="Teléfono"
            type="tel"
            inputMode="tel"
            errors={errors}
            defaultValue={values.telefono}
          />
          <SelectField
            name="paisResidencia"
            label="País de residencia"
            required
            errors={errors}
            defaultValue={values.paisResidencia}
            options={PAISES}
            hint="Si reside en el Perú, indique también el departamento, la provincia y el distrito."
            onChange={(e) => setPais(e.target.value)}
          />
          <TextField
            name="direccion"
            label="Dirección"
            autoComplete="street-address"
            required
            errors={errors}
            defaultValue={values.direccion}
            maxLength={200}
          />
          {pais === "PE" || !hydrated ? (
            <UbigeoFields options={choices} values={values} errors={errors} hydrated={hydrated} />
          ) : null}
          <div className="actions">
            <button type="submit" name="intent" value="contacto">
              Guardar cambios
            </button>
          </div>
        </Form>
      </section>
  );
}
