import { Link, redirect } from "react-router";
import { assignEvaluadores } from "~/features/evaluacion/assign-evaluadores.server";
import { BonificacionesEvaluacion } from "~/features/evaluacion/bonificaciones-evaluacion";
import { closeEtapa } from "~/features/evaluacion/close-etapa.server";
import { ConfiguracionEvaluacion } from "~/features/evaluacion/configuracion-evaluacion";
import { configureEtapas } from "~/features/evaluacion/configure-etapas.server";
import { EtapasEvaluacion } from "~/features/evaluacion/etapas-evaluacion";
import { ACCION_DESCONOCIDA, evaluacionAccionSchema } from "~/features/evaluacion/evaluacion.schema";
import { getEvaluacionPage } from "~/features/evaluacion/get-evaluacion-page.server";
import { recordDesempate } from "~/features/evaluacion/record-desempate.server";
import { PublicacionesEvaluacion, ResultadoFinal } from "~/features/evaluacion/resultado-final";
import { validateBonificacion } from "~/features/evaluacion/validate-bonificacion.server";
import { cantidad } from "~/shared/format";
import { isUuid } from "~/shared/ids";
import { ErrorSummary } from "~/ui/form";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { answerError, asNotFound, notFound } from "~/web/answer-error.server";
import type { Route } from "./+types/admin.convocatorias.$id_.evaluacion";

/** The gestor's evaluation page of a convocatoria (issue 5): stages, evaluadores, bonificaciones, results. */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Evaluación · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

const AVISOS: Record<string, string> = {
  configurada: "Configuración de la evaluación guardada.",
  asignados: "Evaluadores asignados.",
  cerrada: "Etapa cerrada.",
  publicada: "Resultados publicados. Los postulantes recibirán un correo.",
  bonificacion: "Bonificación registrada.",
  desempate: "Desempate registrado.",
};

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  let page;
  try {
    page = await getEvaluacionPage({ services: context.services, convocatoriaId: params.id });
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
  const aviso = new URL(request.url).searchParams.get("aviso");
  return { ...page, aviso: aviso && AVISOS[aviso] ? AVISOS[aviso] : null };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff: me } = await requireStaff(request, context, "review:postulacion");
  const formData = await readForm(request, context);
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const { services, logger } = context;
  const parsed = parseForm(evaluacionAccionSchema, formData);
  if (!parsed.ok) {
    if (parsed.errors.intent) return invalid(formData, { form: ACCION_DESCONOCIDA }, 400);
    logger.info({ intent: formData.get("intent"), fields: Object.keys(parsed.errors) }, "evaluacion: form invalid");
    return invalid(formData, parsed.errors);
  }
  const a = parsed.data;
  const actor = { services, actorId: me.id, convocatoriaId: params.id };
  const done = (aviso: keyof typeof AVISOS) => redirect(`/admin/convocatorias/${params.id}/evaluacion?aviso=${aviso}`);
  try {
    switch (a.intent) {
      case "configurar":
        await configureEtapas({ ...actor, etapas: a.etapas, bonificacionesAcumulables: a.bonificacionesAcumulables, publicarComo: a.publicarComo });
        return done("configurada");
      case "asignar":
        await assignEvaluadores({ ...actor, etapaId: a.etapaId, staffIds: a.evaluadores });
        return done("asignados");
      case "cerrar":
        await closeEtapa({ ...actor, etapaId: a.etapaId });
        return done("cerrada");
      case "bonificacion":
        await validateBonificacion({ ...actor, postulacionId: a.postulacionId, tipo: a.tipo, validada: a.validada, nivel: a.nivel, observacion: a.observacion });
        return done("bonificacion");
      case "desempate":
        await recordDesempate({ ...actor, orden: a.orden, nota: a.nota });
        return done("desempate");
    }
  } catch (error) {
    return answerError(error, formData, context, "evaluacion", { level: (e) => (e.fields ? "info" : "warn") });
  }
}

export default function EvaluacionConvocatoria({ loaderData, actionData }: Route.ComponentProps) {
  const { convocatoria: c, config, configMotivo, etapas, personal, bonos, bonosMotivo, final, publicaciones, aviso, plazo, total } = loaderData;
  const result = actionData as FormErrors | undefined;
  const errors = result?.errors;
  const values = result?.values ?? {};
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${c.id}`}>← {c.codigo}</Link> · <Link to={`/admin/convocatorias/${c.id}/postulaciones`}>Postulaciones</Link>
      </p>
      <h1>Evaluación: {c.codigo}</h1>
      <p>
        {c.puesto} · {cantidad(total, "postulación registrada", "postulaciones registradas")} · {cantidad(c.vacantes, "vacante", "vacantes")}
      </p>
      {aviso ? (
        <div className="notice notice--success" role="status">
          <p>{aviso}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {plazo ? <p className="notice">{plazo} Ya puede asignar evaluadores y calificar las postulaciones registradas.</p> : null}
      <EtapasEvaluacion convocatoriaId={c.id} etapas={etapas} personal={personal} values={values} />
      <ConfiguracionEvaluacion etapas={etapas} config={config} configMotivo={configMotivo} errors={errors} values={values} />
      <BonificacionesEvaluacion bonos={bonos} bonosMotivo={bonosMotivo} />
      <ResultadoFinal convocatoriaId={c.id} final={final} publicaciones={publicaciones} errors={errors} values={values} />
      <PublicacionesEvaluacion publicaciones={publicaciones} />
    </>
  );
}
