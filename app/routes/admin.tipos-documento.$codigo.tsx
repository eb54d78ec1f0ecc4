import { Form, Link, redirect, useActionData } from "react-router";
import { MB } from "~/features/convocatorias/documentos";
import { TipoDocumentoCampos } from "~/features/tipos-documento/tipo-documento-campos";
import { tipoDocumentoSchema } from "~/features/tipos-documento/tipo-documento.schema";
import { esFijo, getTipoDocumento, updateTipoDocumento } from "~/features/tipos-documento/tipos-documento.server";
import { answerError, asNotFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary } from "~/ui/form";
import type { Route } from "./+types/admin.tipos-documento.$codigo";

export const meta: Route.MetaFunction = ({ data: d }) => [
  { title: `${d?.tipo.nombre ?? "Tipo de documento"} · Tipos de documento · CAS Online` },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:tipos_documento");
  try {
    const tipo = await getTipoDocumento(context.services.db, params.codigo);
    return {
      tipo: { codigo: tipo.codigo, nombre: tipo.nombre, requeridoPorDefecto: tipo.requeridoPorDefecto, activo: tipo.activo },
      tamanoMb: String(Math.round(tipo.maxBytes / MB)),
      fijo: esFijo(tipo),
      identidad: Boolean(tipo.identidad),
    };
  } catch (error) {
    throw asNotFound(error, "El tipo de documento no existe.");
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:tipos_documento");
  const formData = await readForm(request, context);
  const parsed = parseForm(tipoDocumentoSchema, formData);
  if (!parsed.ok) {
    context.logger.info("tipo documento: invalid form");
    return invalid(formData, parsed.errors);
  }
  try {
    await updateTipoDocumento({ services: context.services, actor: { type: "staff", id: staff.id }, codigo: params.codigo, input: parsed.data });
    return redirect("/admin/tipos-documento?aviso=guardado");
  } catch (error) {
    return answerError(error, formData, context, "tipo documento", { notFoundPage: true });
  }
}

export default function EditarTipoDocumento({ loaderData }: Route.ComponentProps) {
  const { tipo, tamanoMb, fijo, identidad } = loaderData;
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values;
  return (
    <>
      <p>
        <Link to="/admin/tipos-documento">← Tipos de documento</Link>
      </p>
      <h1>{tipo.nombre}</h1>
      <p>
        Los cambios valen para las convocatorias nuevas y los borradores (al guardarlos). Las convocatorias ya
        publicadas conservan el nombre y el tamaño máximo con que se publicaron.
        {tipo.activo ? "" : " Este tipo está retirado: no se ofrece a nuevas convocatorias."}
      </p>
      <Form method="post" className="panel" noValidate>
        <CsrfInput />
        <ErrorSummary errors={errors} />
        <TipoDocumentoCampos
          errors={errors}
          nombre={values?.nombre ?? tipo.nombre}
          tamanoMb={values?.tamanoMb ?? tamanoMb}
          obligatorio={values ? values.obligatorio === "on" : tipo.requeridoPorDefecto}
          nombreHint="Es el nombre que ve el postulante en la lista de tipos de documento."
          fijo={fijo ? <FijoPorDefecto requerido={tipo.requeridoPorDefecto} identidad={identidad} /> : undefined}
        />
        <button type="submit">Guardar cambios</button>
      </Form>
    </>
  );
}

/** The fixed "Obligatorio por defecto" of the identity pair and the bonificación sustentos, and why. */
function FijoPorDefecto({ requerido, identidad }: { requerido: boolean; identidad: boolean }) {
  return (
    <>
      <p>
        Obligatorio por defecto: <strong>{requerido ? "Sí" : "No"}</strong>
      </p>
      <p className="hint">
        {identidad
          ? "El documento de identidad siempre es obligatorio por defecto."
          : "Los sustentos de bonificación nunca son obligatorios por defecto: el postulante los carga si le corresponde."}
      </p>
      {/* Sent as it is: the use case keeps the fixed value anyway. */}
      {requerido ? <input type="hidden" name="obligatorio" value="on" /> : null}
    </>
  );
}
