import { Form, Link, redirect, useActionData } from "react-router";
import { z } from "zod";
import { formatBytes } from "~/shared/format";
import { discardUpload, readFormWithFile } from "~/web/upload.server";
import { answerError } from "~/web/answer-error.server";
import {
  listFormatosVigentes, moveFormato, replaceFormato, retireFormato, uploadFormato,
} from "~/features/declaraciones/formatos.server";
import { FORMATO_MAX_BYTES } from "~/features/declaraciones/tipo-archivo.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField, fieldId } from "~/ui/form";
import { FileName } from "~/ui/file-name";
import type { Route } from "./+types/admin.declaraciones-juradas";

export const meta: Route.MetaFunction = () => [{ title: "Declaraciones Juradas · Administración · CAS Online" }];

const tituloSchema = z.object({
  titulo: z
    .string({ error: "Ingrese el título del formato." })
    .trim()
    .min(3, { error: "Ingrese el título del formato (al menos 3 caracteres)." })
    .max(200, { error: "Como máximo 200 caracteres." }),
});

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:declaraciones");
  const aviso = new URL(request.url).searchParams.get("aviso");
  return { formatos: await listFormatosVigentes(context.services.db), aviso };
}

const AVISOS: Record<string, string> = {
  cargado: "Formato cargado.",
  reemplazado: "Archivo reemplazado.",
  movido: "Orden actualizado.",
  retirado: "Formato retirado: ya no se muestra al público.",
};

export async function action({ request, context }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:declaraciones");
  const read = await readFormWithFile(request, context, {
    field: "archivo",
    maxBytes: FORMATO_MAX_BYTES,
    tooLargeMessage: "El archivo no debe superar los 10 MB.",
  });
  if (!read.ok) return read.answer;
  const { formData, file } = read;
  const services = context.services;
  const actor = { type: "staff" as const, id: staff.id };
  const id = String(formData.get("id") ?? "");
  const done = (aviso: string) => redirect(`/admin/declaraciones-juradas?aviso=${aviso}`);
  try {
    switch (formData.get("intent")) {
      case "cargar": {
        const parsed = parseForm(tituloSchema, formData);
        const errors = parsed.ok ? {} : { ...parsed.errors };
        if (!file) Object.assign(errors, { archivo: "Elija el archivo del formato (PDF, DOCX u ODT)." });
        if (!parsed.ok || !file) return invalid(formData, errors);
        await uploadFormato({ services, actor, titulo: parsed.data.titulo, archivo: file });
        return done("cargado");
      }
      case "reemplazar":
        if (!file) return invalid(formData, { [`archivo-${id}`]: "Elija el nuevo archivo (PDF, DOCX u ODT)." });
        await replaceFormato({ services, actor, id, archivo: file });
        return done("reemplazado");
      case "subir":
      case "bajar":
        await moveFormato({ services, actor, id, direccion: formData.get("intent") as "subir" | "bajar" });
        return done("movido");
      case "retirar":
        await retireFormato({ services, actor, id });
        return done("retirado");
      default:
        return invalid(formData, { form: "Acción desconocida." }, 400);
    }
  } catch (error) {
    return answerError(error, formData, context, "dj formato", { notFoundPage: true });
  } finally {
    await discardUpload(file);
  }
}

export default function AdminDeclaraciones({ loaderData }: Route.ComponentProps) {
  const { formatos, aviso } = loaderData;
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  return (
    <>
      <p>
        <Link to="/admin">← Administración</Link>
      </p>
      <h1>Formatos de Declaraciones Juradas</h1>
      <p>
        Los postulantes los descargan en <Link to="/declaraciones-juradas">Descargar</Link>, en este orden. Archivos PDF,
        DOCX u ODT de hasta 10 MB.
      </p>
      {aviso && AVISOS[aviso] ? (
        <div className="notice notice--success" role="status">
          {AVISOS[aviso]}
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Orden</th>
              <th scope="col">Formato</th>
              <th scope="col">Reemplazar archivo</th>
              <th scope="col">Acciones</th>
            </tr>
          </thead>
          <tbody>
            {formatos.map((f, i) => (
              <tr key={f.id}>
                <td data-label="Orden">{i + 1}</td>
                <td data-label="Formato">
                  <a href={`/declaraciones-juradas/${f.id}`}>{f.titulo}</a>
                  <br />
                  <span className="hint">
                    <FileName name={f.filename} /> · {formatBytes(f.size)}
                  </span>
                </td>
                <td data-label="Reemplazar archivo">
                  <Form method="post" encType="multipart/form-data">
                    <CsrfInput />
                    <input type="hidden" name="intent" value="reemplazar" />
                    <input type="hidden" name="id" value={f.id} />
                    <label htmlFor={fieldId(`archivo-${f.id}`)} className="visually-hidden">
                      Nuevo archivo para {f.titulo}
                    </label>
                    {errors?.[`archivo-${f.id}`] ? <p className="field-error">{errors[`archivo-${f.id}`]}</p> : null}
                    <input id={fieldId(`archivo-${f.id}`)} type="file" name="archivo" accept=".pdf,.docx,.odt" />{" "}
                    <button type="submit" className="button--secondary">
                      Reemplazar<span className="visually-hidden"> {f.titulo}</span>
                    </button>
                  </Form>
                </td>
                <td data-label="Acciones">
                  <div className="actions">
                    {(["subir", "bajar"] as const).map((intent) =>
                      (intent === "subir" && i === 0) || (intent === "bajar" && i === formatos.length - 1) ? null : (
                        <Form method="post" key={intent}>
                          <CsrfInput />
                          <input type="hidden" name="intent" value={intent} />
                          <input type="hidden" name="id" value={f.id} />
                          <button type="submit" className="button--secondary">
                            {intent === "subir" ? "Subir" : "Bajar"}
                            <span className="visually-hidden"> {f.titulo}</span>
                          </button>
                        </Form>
                      ),
                    )}
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="retirar" />
                      <input type="hidden" name="id" value={f.id} />
                      <button type="submit" className="button--secondary">
                        Retirar<span className="visually-hidden"> {f.titulo}</span>
                      </button>
                    </Form>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Form method="post" encType="multipart/form-data" className="panel" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="cargar" />
        <h2>Cargar un formato</h2>
        <TextField name="titulo" label="Título" required errors={errors} defaultValue={actionData?.values?.titulo} maxLength={200} hint="Por ejemplo: Formato N.° 1 – Declaración jurada de datos personales" />
        <div className={`field${errors?.archivo ? " field--error" : ""}`}>
          <label htmlFor={fieldId("archivo")}>Archivo (PDF, DOCX u ODT, hasta 10 MB)</label>
          {errors?.archivo ? (
            <p className="field-error" id={`${fieldId("archivo")}-error`}>
              {errors.archivo}
            </p>
          ) : null}
          <input id={fieldId("archivo")} type="file" name="archivo" accept=".pdf,.docx,.odt" aria-describedby={errors?.archivo ? `${fieldId("archivo")}-error` : undefined} />
        </div>
        <button type="submit">Cargar formato</button>
      </Form>
    </>
  );
}
