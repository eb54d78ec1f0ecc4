import { Link, redirect, useActionData } from "react-router";
import { cronogramaInput, convocatoriaSchema, documentosInput } from "~/features/convocatorias/convocatoria.schema";
import { BASES_MAX_BYTES, filasDelFormulario, validarCronograma } from "~/features/convocatorias/convocatoria-datos.server";
import { ConvocatoriaForm, valoresIniciales } from "~/features/convocatorias/convocatoria-form";
import { createConvocatoria } from "~/features/convocatorias/create-convocatoria.server";
import { discardUpload, readFormWithFile } from "~/web/upload.server";
import { answerError } from "~/web/answer-error.server";
import { distritoSugerencias } from "~/features/ubigeo/ubigeo.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm } from "~/web/forms.server";
import type { Route } from "./+types/admin.convocatorias.nueva";

export const meta: Route.MetaFunction = () => [{ title: "Nueva convocatoria · CAS Online" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:convocatoria");
  const filas = await filasDelFormulario(context.services.db);
  return { values: valoresIniciales(filas), filas, distritos: distritoSugerencias() };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:convocatoria");
  const read = await readFormWithFile(request, context, {
    field: "bases",
    maxBytes: BASES_MAX_BYTES,
    tooLargeMessage: "Las bases no deben superar los 20 MB.",
  });
  if (!read.ok) return read.answer;
  const { formData, file } = read;
  try {
    const parsed = parseForm(convocatoriaSchema, formData);
    const cronograma = cronogramaInput(formData);
    const { errors: cronogramaErrors } = validarCronograma(cronograma);
    if (!parsed.ok || Object.keys(cronogramaErrors).length) {
      context.logger.info("convocatoria: invalid form");
      return invalid(formData, { ...(parsed.ok ? {} : parsed.errors), ...cronogramaErrors }, 422, ["codigo"]);
    }
    const { id } = await createConvocatoria({
      services: context.services,
      actor: { type: "staff", id: staff.id },
      input: parsed.data,
      cronograma,
      documentos: documentosInput(formData),
      bases: file,
    });
    return redirect(`/admin/convocatorias/${id}?aviso=creada`);
  } catch (error) {
    return answerError(error, formData, context, "convocatoria", { notFoundPage: true, echo: ["codigo"] });
  } finally {
    await discardUpload(file);
  }
}

export default function NuevaConvocatoria({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const values = actionData?.values ? { ...loaderData.values, ...actionData.values } : loaderData.values;
  return (
    <>
      <p>
        <Link to="/admin/convocatorias">← Convocatorias</Link>
      </p>
      <h1>Nueva convocatoria</h1>
      <p>Se guarda como borrador; el público la ve cuando la publique.</p>
      <ConvocatoriaForm values={values} filas={loaderData.filas} errors={actionData?.errors} submitLabel="Guardar borrador" distritos={loaderData.distritos} />
    </>
  );
}
