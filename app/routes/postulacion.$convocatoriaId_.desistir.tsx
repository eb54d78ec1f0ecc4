import { Link, redirect } from "react-router";
import { ConfirmacionForm } from "~/features/postulacion/confirmacion";
import { desistirPostulacion } from "~/features/postulacion/desistir-postulacion.server";
import { desistimientoNoPermitido, MOTIVO_DESISTIMIENTO_MAX, noEncontrada, ventanaCerrada } from "~/features/postulacion/errors";
import { desistirFormSchema } from "~/features/postulacion/postulacion.schema";
import { answerError } from "~/web/answer-error.server";
import { postulacionPageLoader } from "~/web/postulacion-page.server";
import { requirePostulante } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { TextAreaField } from "~/ui/form";
import { formatLima } from "~/shared/lima";
import type { Route } from "./+types/postulacion.$convocatoriaId_.desistir";

/**
 * "Desistir de la postulación" (issue 17): what will happen, an optional reason and the
 * confirmation. Only a registrada postulación whose window is open gets the form; a draft or a
 * closed window gets the reason why not (so a refused POST keeps its 409 on this page), a
 * desistida goes to the page that says it is done, no postulación at all is a 404.
 */
export function meta() {
  return [{ title: "Desistir de la postulación · CAS Online" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  return postulacionPageLoader(request, context, params.convocatoriaId, (page, postulante) => {
    const { convocatoria: c, postulacion: p } = page;
    if (!p) throw noEncontrada();
    if (p.estado === "desistida") throw redirect(`/postulacion/${params.convocatoriaId}/desistida`);
    const noPuede =
      p.estado !== "registrada"
        ? desistimientoNoPermitido()
        : !c.abierta
          ? ventanaCerrada(c.cerrada && c.postulacionFin ? formatLima(c.postulacionFin) : null)
          : null;
    return { convocatoria: c, postulacion: p, email: postulante.email, documentos: page.documentos.length, noPuede: noPuede?.message ?? null };
  });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const parsed = parseForm(desistirFormSchema, formData);
  if (!parsed.ok) return invalid(formData, parsed.errors);
  try {
    const done = await desistirPostulacion({
      services: context.services,
      postulanteId: postulante.id,
      convocatoriaId: params.convocatoriaId,
      motivo: parsed.data.motivo,
    });
    context.logger.info({ postulacionId: done.postulacionId }, "postulación desistida");
    return redirect(`/postulacion/${params.convocatoriaId}/desistida`);
  } catch (error) {
    return answerError(error, formData, context, "desistimiento", { level: "warn", notFoundPage: true, pageFields: ["motivo"] });
  }
}

export default function Desistir({ loaderData, actionData, params }: Route.ComponentProps) {
  const { convocatoria: c, postulacion: p, email, documentos, noPuede } = loaderData;
  const result = actionData as FormErrors | undefined;
  return (
    <>
      <h1>Desistir de la postulación</h1>
      <dl className="summary panel">
        <dt>Convocatoria</dt>
        <dd>
          {c.codigo} — {c.puesto}
        </dd>
        {p.numero && p.finalizadaAt ? (
          <>
            <dt>Número de postulación</dt>
            <dd>{p.numero}</dd>
            <dt>Fecha y hora de registro (hora de Lima)</dt>
            <dd>{formatLima(p.finalizadaAt)}</dd>
          </>
        ) : null}
      </dl>
      {noPuede ? (
        <>
          <p className="notice notice--warning" role="status">
            {noPuede}
          </p>
          <p>
            <Link to={`/postulacion/${params.convocatoriaId}`}>Volver a la postulación</Link>
          </p>
        </>
      ) : (
        <ConfirmacionForm convocatoriaId={params.convocatoriaId} errors={result?.errors} labels={{ motivo: "Motivo" }} boton="Confirmar desistimiento">
          <h2>Si desiste:</h2>
          <ul>
            <li>Su postulación pasará al estado «Desistida» y dejará de participar en la evaluación de esta convocatoria.</li>
            <li>
              No se elimina: sus {documentos} {documentos === 1 ? "documento" : "documentos"}, la Ficha de Postulación, la constancia de
              postulación y el historial se conservan como registro.
            </li>
            <li>Le enviaremos la constancia de desistimiento a su correo electrónico {email}.</li>
            <li>
              <strong>No podrá volver a postular a esta convocatoria</strong>, y el desistimiento no se puede deshacer.
            </li>
          </ul>
          <TextAreaField
            name="motivo"
            label="Motivo"
            hint={`Si lo desea, díganos por qué desiste (hasta ${MOTIVO_DESISTIMIENTO_MAX} caracteres). Figurará en la constancia.`}
            maxLength={MOTIVO_DESISTIMIENTO_MAX}
            defaultValue={result?.values.motivo ?? ""}
            errors={result?.errors}
          />
        </ConfirmacionForm>
      )}
    </>
  );
}
