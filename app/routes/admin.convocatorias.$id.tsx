import { Form, Link, redirect, useActionData } from "react-router";
import { cancelConvocatoria } from "~/features/convocatorias/cancel-convocatoria.server";
import { concludeConvocatoria } from "~/features/convocatorias/conclude-convocatoria.server";
import {
  cronogramaInput, convocatoriaSchema, documentosInput, motivoSchema,
} from "~/features/convocatorias/convocatoria.schema";
import { BASES_MAX_BYTES, filasDelFormulario, validarCronograma } from "~/features/convocatorias/convocatoria-datos.server";
import { ConvocatoriaForm } from "~/features/convocatorias/convocatoria-form";
import { deleteConvocatoria } from "~/features/convocatorias/delete-convocatoria.server";
import { FASE_LABEL } from "~/features/convocatorias/estado";
import { extendVentana } from "~/features/convocatorias/extend-ventana.server";
import { valoresDe } from "~/features/convocatorias/form-values";
import { getConvocatoria } from "~/features/convocatorias/get-convocatoria.server";
import { hasPostulaciones } from "~/features/convocatorias/has-postulaciones.server";
import { EVENTO_LABEL, historialConvocatoria } from "~/features/convocatorias/historial.server";
import { formatLima } from "~/shared/lima";
import { discardUpload, readFormWithFile } from "~/web/upload.server";
import { answerError } from "~/web/answer-error.server";
import { updateConvocatoria } from "~/features/convocatorias/update-convocatoria.server";
import { distritoSugerencias } from "~/features/ubigeo/ubigeo.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField, fieldId } from "~/ui/form";
import type { Route } from "./+types/admin.convocatorias.$id";

export const meta: Route.MetaFunction = ({ data: d }) => [
  { title: `${d?.convocatoria.codigo ?? "Convocatoria"} · Administración · CAS Online` },
];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:convocatoria");
  const { db, clock } = context.services;
  const convocatoria = await getConvocatoria(db, params.id, clock.now());
  if (!convocatoria) throw new Response("La convocatoria no existe.", { status: 404 });
  const [eventos, conPostulaciones, filas] = await Promise.all([
    historialConvocatoria(db, convocatoria.id),
    hasPostulaciones(db, convocatoria.id),
    filasDelFormulario(db, convocatoria),
  ]);
  const aviso = new URL(request.url).searchParams.get("aviso");
  // The labels are read here: historial.server is a server-only module the component cannot import.
  const historial = eventos.map((h) => ({ ...h, label: EVENTO_LABEL[h.event] ?? h.event }));
  return { convocatoria, values: valoresDe(convocatoria, filas), filas, historial, conPostulaciones, aviso, distritos: distritoSugerencias() };
}

const AVISOS: Record<string, string> = {
  creada: "Convocatoria guardada como borrador.",
  guardada: "Cambios guardados.",
  publicada: "Convocatoria publicada: ya aparece en el Listado de Convocatorias.",
  ampliada: "Plazo de postulación ampliado.",
  cancelada: "Convocatoria cancelada.",
  desierta: "Convocatoria declarada desierta.",
  concluida: "Convocatoria concluida.",
};

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:convocatoria");
  const read = await readFormWithFile(request, context, {
    field: "bases",
    maxBytes: BASES_MAX_BYTES,
    tooLargeMessage: "Las bases no deben superar los 20 MB.",
  });
  if (!read.ok) return read.answer;
  const { formData, file } = read;
  const services = context.services;
  const actor = { type: "staff" as const, id: staff.id };
  const id = params.id;
  const done = (aviso: string) => redirect(`/admin/convocatorias/${id}?aviso=${aviso}`);
  try {
    switch (formData.get("intent")) {
      case "guardar": {
        const parsed = parseForm(convocatoriaSchema, formData);
        const cronograma = cronogramaInput(formData);
        const { errors: cronogramaErrors } = validarCronograma(cronograma);
        if (!parsed.ok || Object.keys(cronogramaErrors).length) {
          context.logger.info("convocatoria: invalid form");
          return invalid(formData, { ...(parsed.ok ? {} : parsed.errors), ...cronogramaErrors }, 422, ["codigo"]);
        }
        await updateConvocatoria({
          services, actor, id, input: parsed.data, cronograma, documentos: documentosInput(formData),
          bases: file,
        });
        return done("guardada");
      }
      case "ampliar": {
        const motivo = parseForm(motivoSchema, formData);
        if (!motivo.ok) return invalid(formData, { motivoAmpliacion: motivo.errors.motivo ?? "Indique el motivo." });
        await extendVentana({
          services, actor, id, motivo: motivo.data.motivo,
          finFecha: String(formData.get("ampliarFinFecha") ?? ""), finHora: String(formData.get("ampliarFinHora") ?? ""),
        });
        return done("ampliada");
      }
      case "cancelar":
      case "desierta": {
        const estado = formData.get("intent") === "cancelar" ? "cancelada" : "desierta";
        const field = estado === "cancelada" ? "motivoCancelacion" : "motivoDesierta";
        const motivo = parseForm(motivoSchema, formData);
        if (!motivo.ok) return invalid(formData, { [field]: motivo.errors.motivo ?? "Indique el motivo." });
        await cancelConvocatoria({ services, actor, id, estado, motivo: motivo.data.motivo });
        return done(estado);
      }
      case "concluir":
        await concludeConvocatoria({ services, actor, id });
        return done("concluida");
      case "eliminar":
        await deleteConvocatoria({ services, actor, id });
        return redirect("/admin/convocatorias?aviso=eliminada");
      default:
        return invalid(formData, { form: "Acción desconocida." }, 400);
    }
  } catch (error) {
    return answerError(error, formData, context, "convocatoria", { notFoundPage: true, echo: ["codigo"] });
  } finally {
    await discardUpload(file);
  }
}

function MotivoForm({ intent, field, label, button, errors, hint }: { intent: string; field: string; label: string; button: string; errors?: Record<string, string>; hint: string }) {
  const error = errors?.[field];
  return (
    <Form method="post" className="panel">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      <div className={`field${error ? " field--error" : ""}`}>
        <label htmlFor={fieldId(field)}>{label}</label>
        <p className="hint" id={`${fieldId(field)}-hint`}>
          {hint}
        </p>
        {error ? (
          <p className="field-error" id={`${fieldId(field)}-error`}>
            {error}
          </p>
        ) : null}
        <textarea id={fieldId(field)} name="motivo" rows={2} maxLength={2000} aria-describedby={`${fieldId(field)}-hint${error ? ` ${fieldId(field)}-error` : ""}`} aria-invalid={error ? true : undefined} />
      </div>
      <button type="submit" className="button--secondary">
        {button}
      </button>
    </Form>
  );
}

export default function EditarConvocatoria({ loaderData }: Route.ComponentProps) {
  const { convocatoria: c, historial, conPostulaciones, aviso } = loaderData;
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values && Object.keys(actionData.values).length && actionData.values.intent === "guardar"
    ? { ...loaderData.values, ...actionData.values }
    : loaderData.values;
  const editable = c.estado === "borrador" || c.estado === "publicada";
  const stateErrors = Object.fromEntries(
    Object.entries(errors ?? {}).filter(([k]) => ["form", "publicar", "concluir"].includes(k)),
  );
  return (
    <>
      <p>
        <Link to="/admin/convocatorias">← Convocatorias</Link>
      </p>
      <h1>{c.codigo}</h1>
      <p>
        {c.puesto} · <span className="badge">{FASE_LABEL[c.fase]}</span>
        {c.estado !== "borrador" ? (
          <>
            {" "}
            · <Link to={`/convocatorias/${c.id}`}>Ver la página pública</Link>
          </>
        ) : null}
      </p>
      {c.estado !== "borrador" ? (
        <nav aria-label="Postulaciones y evaluación">
          <ul className="inline-list">
            <li>
              <Link to={`/admin/convocatorias/${c.id}/postulaciones`}>Postulaciones</Link>
            </li>
            <li>
              <Link to={`/admin/convocatorias/${c.id}/evaluacion`}>Evaluación y resultados</Link>
            </li>
          </ul>
        </nav>
      ) : null}
      {aviso && AVISOS[aviso] ? (
        <div className="notice notice--success" role="status">
          {AVISOS[aviso]}
        </div>
      ) : null}
      {c.motivo ? <p>Motivo: {c.motivo}</p> : null}
      <ErrorSummary errors={Object.keys(stateErrors).length ? stateErrors : undefined} />

      <section aria-labelledby="acciones">
        <h2 id="acciones">Acciones</h2>
        {c.estado === "borrador" ? (
          <div className="actions">
            {/* A GET to the preview: nothing is published before "Confirmar publicación" there. */}
            <Form method="get" action={`/admin/convocatorias/${c.id}/publicar`}>
              <button type="submit">Publicar</button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="eliminar" />
              <button type="submit" className="button--secondary">
                Eliminar borrador
              </button>
            </Form>
          </div>
        ) : null}
        {c.estado === "publicada" ? (
          <>
            <Form method="post" className="panel">
              <CsrfInput />
              <input type="hidden" name="intent" value="ampliar" />
              <h3>Ampliar plazo de postulación</h3>
              <p>Cierre actual: {c.postulacionFin ? formatLima(c.postulacionFin) : "—"} (hora de Lima)</p>
              <div className="grid-2">
                <TextField name="ampliarFinFecha" label="Nueva fecha de cierre" type="date" required errors={errors} />
                <div className="field">
                  <label htmlFor={fieldId("ampliarFinHora")}>Nueva hora de cierre</label>
                  <input id={fieldId("ampliarFinHora")} name="ampliarFinHora" type="time" defaultValue="23:59" />
                </div>
              </div>
              <div className={`field${errors?.motivoAmpliacion ? " field--error" : ""}`}>
                <label htmlFor={fieldId("motivoAmpliacion")}>Motivo de la ampliación</label>
                {errors?.motivoAmpliacion ? (
                  <p className="field-error" id={`${fieldId("motivoAmpliacion")}-error`}>
                    {errors.motivoAmpliacion}
                  </p>
                ) : null}
                <textarea id={fieldId("motivoAmpliacion")} name="motivo" rows={2} maxLength={2000} aria-invalid={errors?.motivoAmpliacion ? true : undefined} aria-describedby={errors?.motivoAmpliacion ? `${fieldId("motivoAmpliacion")}-error` : undefined} />
              </div>
              <button type="submit" className="button--secondary">
                Ampliar plazo
              </button>
            </Form>
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="concluir" />
              <button type="submit" className="button--secondary">
                Concluir proceso
              </button>
            </Form>
            <MotivoForm intent="desierta" field="motivoDesierta" label="Motivo para declararla desierta" button="Declarar desierta" errors={errors} hint="Se publica junto a la convocatoria." />
            <MotivoForm intent="cancelar" field="motivoCancelacion" label="Motivo de la cancelación" button="Cancelar convocatoria" errors={errors} hint="Se publica junto a la convocatoria." />
          </>
        ) : null}
        {!editable ? <p>La convocatoria terminó; ya no se puede modificar.</p> : null}
      </section>

      {editable ? (
        <section aria-labelledby="editar">
          <h2 id="editar">Datos de la convocatoria</h2>
          <ConvocatoriaForm
            values={values}
            filas={loaderData.filas}
            errors={values === loaderData.values ? undefined : errors}
            submitLabel="Guardar cambios"
            ventanaBloqueada={c.estado === "publicada"}
            documentosBloqueados={conPostulaciones}
            basesActuales={c.bases?.filename ?? null}
            distritos={loaderData.distritos}
          />
        </section>
      ) : null}

      <section aria-labelledby="historial">
        <h2 id="historial">Historial</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Fecha y hora (Lima)</th>
                <th scope="col">Quién</th>
                <th scope="col">Qué</th>
              </tr>
            </thead>
            <tbody>
              {historial.map((h, i) => (
                <tr key={i}>
                  <td data-label="Fecha y hora (Lima)">{formatLima(h.at)}</td>
                  <td data-label="Quién">{h.nombre ?? "Sistema"}</td>
                  <td data-label="Qué">
                    {h.label}
                    {typeof h.details.motivo === "string" ? `: ${h.details.motivo}` : ""}
                    {Array.isArray(h.details.fields) ? ` (${(h.details.fields as string[]).join(", ")})` : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
