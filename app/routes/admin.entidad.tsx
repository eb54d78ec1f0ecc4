import { Form, redirect } from "react-router";
import { ENTIDAD_LABELS, entidadSchema } from "~/features/entidad/entidad.schema";
import { getEntitySettings } from "~/features/entidad/get-entity-settings.server";
import { LOGO_MAX_BYTES, LOGO_TOO_LARGE } from "~/features/entidad/logo.server";
import { updateEntitySettings } from "~/features/entidad/update-entity-settings.server";
import { formatBytes } from "~/shared/format";
import { answerError } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, type FormErrors } from "~/web/forms.server";
import { discardUpload, readFormWithFile } from "~/web/upload.server";
import { CheckboxField, CsrfInput, ErrorSummary, TextField, fieldId, useResetAfterSubmit } from "~/ui/form";
import type { Route } from "./+types/admin.entidad";

/** "Datos de la entidad" (issue 14), administrador only ("manage:entidad"); docs/administracion.md. */
export function meta() {
  return [{ title: "Datos de la entidad · Administración · CAS Online" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:entidad");
  const s = await getEntitySettings(context.services);
  return {
    values: {
      nombre: s.nombre,
      siglas: s.siglas ?? "",
      ruc: s.ruc ?? "",
      mesaAyudaEmail: s.mesaDeAyuda.email ?? "",
      mesaAyudaTelefono: s.mesaDeAyuda.telefono ?? "",
      mesaAyudaHorario: s.mesaDeAyuda.horario ?? "",
    },
    logo: s.logo ? { src: `/entidad/logo?v=${s.logo.sha256.slice(0, 16)}`, size: s.logo.size } : null,
    guardado: new URL(request.url).searchParams.has("guardado"),
    porDefecto: s.updatedAt === null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:entidad");
  const read = await readFormWithFile(request, context, { field: "logo", maxBytes: LOGO_MAX_BYTES, tooLargeMessage: LOGO_TOO_LARGE });
  if (!read.ok) return read.answer;
  const { formData, file } = read;
  const { services, logger } = context;
  try {
    const parsed = parseForm(entidadSchema, formData);
    if (!parsed.ok) {
      logger.info({ fields: Object.keys(parsed.errors) }, "admin/entidad: invalid form");
      return invalid(formData, parsed.errors);
    }
    const { fields } = await updateEntitySettings({ services, actor: { type: "staff", id: staff.id }, input: parsed.data, logo: file });
    logger.info({ fields }, "admin/entidad: saved");
    return redirect("/admin/entidad?guardado=1");
  } catch (error) {
    return answerError(error, formData, context, "admin/entidad");
  } finally {
    await discardUpload(file);
  }
}

export default function DatosEntidad({ loaderData, actionData }: Route.ComponentProps) {
  const { logo, guardado, porDefecto } = loaderData;
  const result = actionData as FormErrors | undefined;
  const errors = result?.errors;
  const values = result ? { ...loaderData.values, ...result.values } : loaderData.values;
  const reset = useResetAfterSubmit();
  const logoError = errors?.logo;
  return (
    <>
      <h1>Datos de la entidad</h1>
      <p>
        El nombre y el logo aparecen en el encabezado de cada página, en los correos y en los PDF (ficha, constancia y
        resultados); la mesa de ayuda, en el pie de página, en los correos y en las páginas de error.
      </p>
      {guardado && !result ? (
        <div className="notice notice--success" role="status">
          <p>Los datos de la entidad fueron guardados.</p>
        </div>
      ) : null}
      {porDefecto ? (
        <p className="hint">Aún no se guardaron datos: el nombre es el de la configuración del servidor (ENTITY_NAME).</p>
      ) : null}
      <Form method="post" encType="multipart/form-data" noValidate className="panel" key={reset.key} onSubmit={reset.onSubmit}>
        <CsrfInput />
        <ErrorSummary errors={errors} labels={ENTIDAD_LABELS} />
        <TextField name="nombre" label={ENTIDAD_LABELS.nombre!} required maxLength={200} errors={errors} defaultValue={values.nombre} autoComplete="organization" />
        <TextField name="siglas" label={ENTIDAD_LABELS.siglas!} maxLength={20} errors={errors} defaultValue={values.siglas} hint="Por ejemplo: MIGRACIONES" />
        <TextField name="ruc" label={ENTIDAD_LABELS.ruc!} inputMode="numeric" maxLength={11} errors={errors} defaultValue={values.ruc} hint="11 dígitos." autoComplete="off" />
        <fieldset className="field">
          <legend>Logo</legend>
          {logo ? (
            <p>
              <img src={logo.src} alt="Logo actual de la entidad" className="entity-logo-preview" /> Logo actual ({formatBytes(logo.size)}).
            </p>
          ) : (
            <p className="hint">Aún no hay logo.</p>
          )}
          <div className={`field${logoError ? " field--error" : ""}`}>
            <label htmlFor={fieldId("logo")}>
              {logo ? "Nuevo logo" : "Logo"}
              <span className="optional"> (opcional)</span>
            </label>
            <p className="hint" id={`${fieldId("logo")}-hint`}>
              Imagen PNG o JPEG de hasta 300 KB; se muestra a unos 48 píxeles de alto.
            </p>
            {logoError ? (
              <p className="field-error" id={`${fieldId("logo")}-error`}>
                <span className="visually-hidden">Error: </span>
                {logoError}
              </p>
            ) : null}
            <input
              id={fieldId("logo")}
              type="file"
              name="logo"
              accept="image/png,image/jpeg"
              aria-invalid={logoError ? true : undefined}
              aria-describedby={`${fieldId("logo")}-hint${logoError ? ` ${fieldId("logo")}-error` : ""}`}
            />
          </div>
          {logo ? <CheckboxField name="quitarLogo" label="Quitar el logo" errors={errors} /> : null}
        </fieldset>
        <fieldset className="field">
          <legend>Mesa de ayuda</legend>
          <p className="hint">Lo que ven los postulantes para pedir ayuda: en el pie de página, en los correos y en las páginas de error.</p>
          <TextField name="mesaAyudaEmail" label={ENTIDAD_LABELS.mesaAyudaEmail!} type="email" maxLength={254} errors={errors} defaultValue={values.mesaAyudaEmail} autoComplete="off" />
          <TextField name="mesaAyudaTelefono" label={ENTIDAD_LABELS.mesaAyudaTelefono!} type="tel" maxLength={40} errors={errors} defaultValue={values.mesaAyudaTelefono} hint="Por ejemplo: (01) 200-1000 anexo 123" autoComplete="off" />
          <TextField name="mesaAyudaHorario" label={ENTIDAD_LABELS.mesaAyudaHorario!} maxLength={120} errors={errors} defaultValue={values.mesaAyudaHorario} hint="Por ejemplo: lunes a viernes de 8:30 a 16:30" autoComplete="off" />
        </fieldset>
        <div className="actions">
          <button type="submit">Guardar datos de la entidad</button>
        </div>
      </Form>
    </>
  );
}
