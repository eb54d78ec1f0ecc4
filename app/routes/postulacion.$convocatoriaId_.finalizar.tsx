import { redirect } from "react-router";
import { finalizePostulacion } from "~/features/postulacion/finalize-postulacion.server";
import { ConfirmacionForm } from "~/features/postulacion/confirmacion";
import { ACEPTO_LABEL, ConfirmacionTexto } from "~/features/postulacion/textos";
import { answerError } from "~/web/answer-error.server";
import { postulacionPageLoader } from "~/web/postulacion-page.server";
import { requirePostulante } from "~/web/auth.server";
import { readForm, type FormErrors } from "~/web/forms.server";
import { CheckboxField } from "~/ui/form";
import type { Route } from "./+types/postulacion.$convocatoriaId_.finalizar";

/**
 * Finalizar Postulación (seed 2.1.5) without JavaScript: the confirmation message, its
 * checkbox, "Aceptar" and "Cancelar". With JavaScript the same message is a dialog on the
 * Postulación page; both end in the same use case.
 */
export function meta() {
  return [{ title: "Finalizar Postulación · CAS Online" }];
}

export async function loader({ request, params, context }: Route.LoaderArgs) {
  return postulacionPageLoader(request, context, params.convocatoriaId, (page) => {
    if (!page.postulacion) throw redirect(`/postulacion/${params.convocatoriaId}`);
    if (page.postulacion.estado === "registrada") throw redirect(`/postulacion/${params.convocatoriaId}/confirmada`);
    if (page.postulacion.estado === "desistida") throw redirect(`/postulacion/${params.convocatoriaId}/desistida`);
    return { convocatoria: page.convocatoria };
  });
}

export async function action({ request, params, context }: Route.ActionArgs) {
  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const { services, logger } = context;
  try {
    const done = await finalizePostulacion({
      services,
      postulanteId: postulante.id,
      convocatoriaId: params.convocatoriaId,
      declaracion: formData.get("declaracion") === "on",
      acepto: formData.get("acepto") === "on",
    });
    logger.info({ yaRegistrada: done.yaRegistrada }, "postulación finalizada");
    return redirect(`/postulacion/${params.convocatoriaId}/confirmada`);
  } catch (error) {
    // The page has the confirmation's checkbox only: anything else missing is told above the form.
    return answerError(error, formData, context, "finalization", { level: "warn", notFoundPage: true, pageFields: ["acepto"] });
  }
}

export default function Finalizar({ loaderData, actionData, params }: Route.ComponentProps) {
  const { convocatoria: c } = loaderData;
  const result = actionData as FormErrors | undefined;
  return (
    <>
      <h1>Finalizar Postulación</h1>
      <ConfirmacionForm convocatoriaId={params.convocatoriaId} errors={result?.errors} labels={{ acepto: "Confirmación" }} boton="Aceptar">
        <input type="hidden" name="declaracion" value="on" />
        <ConfirmacionTexto codigo={c.codigo} puesto={c.puesto} />
        <CheckboxField name="acepto" label={ACEPTO_LABEL} errors={result?.errors} />
      </ConfirmacionForm>
    </>
  );
}
