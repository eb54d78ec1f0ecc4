import { Fragment } from "react";
import { Link, redirect } from "react-router";
import { checkEtapaAccess } from "~/features/evaluacion/check-etapa-access.server";
import { correctPuntaje } from "~/features/evaluacion/correct-puntaje.server";
import { CorregirPuntaje } from "~/features/evaluacion/corregir-puntaje";
import { ESTADO_ETAPA_LABEL } from "~/features/evaluacion/etiquetas";
import { corregirSchema, puntajesSchema } from "~/features/evaluacion/evaluacion.schema";
import { getEtapaPage } from "~/features/evaluacion/get-etapa-page.server";
import { PuntajesEtapa } from "~/features/evaluacion/puntajes-etapa";
import { recordPuntaje } from "~/features/evaluacion/record-puntaje.server";
import { cantidad } from "~/shared/format";
import { ErrorSummary } from "~/ui/form";
import { forbidden, requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { AppError } from "~/shared/app-error";
import { answerError, asNotFound } from "~/web/answer-error.server";
import type { Route } from "./+types/admin.evaluacion.etapas.$id";

/**
 * One evaluation stage. An assigned evaluador enters a score and an observación per
 * postulación (a row at a time or the whole page). A gestor sees every evaluador's scores
 * and may correct one with a recorded reason.
 */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${d?.etapa.nombre ?? "Etapa"} · Evaluación · CAS Online` }];

async function access(request: Request, context: Route.LoaderArgs["context"], etapaId: string) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  let acceso;
  try {
    acceso = await checkEtapaAccess(context.services.db, etapaId, me);
  } catch (error) {
    throw asNotFound(error);
  }
  if (!acceso.permitido) {
    context.logger.warn({ etapaId: acceso.etapa.id }, "evaluacion/etapa: not assigned");
    throw forbidden();
  }
  return { me, acceso };
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { me, acceso } = await access(request, context, params.id);
  const url = new URL(request.url);
  const page = await getEtapaPage({ db: context.services.db, acceso, actorId: me.id, pagina: url.searchParams.get("pagina") });
  return {
    ...page,
    aviso: url.searchParams.get("guardado") ? `Puntajes guardados (${Number(url.searchParams.get("guardado"))}).` : url.searchParams.has("corregido") ? "Puntaje corregido." : null,
  };
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { me, acceso } = await access(request, context, params.id);
  const { etapa, gestiona } = acceso;
  const formData = await readForm(request, context);
  const { services } = context;
  const intent = formData.get("intent");
  const pagina = Number(formData.get("pagina")) || 1;
  try {
    if (intent === "guardar") {
      // Only an evaluador assigned to the stage scores it: recordPuntaje refuses anyone else (403).
      const parsed = parseForm(puntajesSchema, formData);
      if (!parsed.ok) return invalid(formData, parsed.errors);
      const { guardados } = await recordPuntaje({ services, actorId: me.id, etapaId: etapa.id, filas: parsed.data });
      context.logger.info({ etapaId: etapa.id, guardados }, "evaluacion/etapa: scores saved");
      return redirect(`/admin/evaluacion/etapas/${etapa.id}?pagina=${pagina}&guardado=${guardados}`);
    }
    if (intent === "corregir") {
      if (!gestiona) throw new AppError("evaluacion.solo_gestor", "Solo la Oficina de Recursos Humanos corrige puntajes.", { status: 403, logCause: "not gestor" });
      const parsed = parseForm(corregirSchema.passthrough(), formData);
      if (!parsed.ok) return invalid(formData, parsed.errors);
      const r = await correctPuntaje({ services, actorId: me.id, etapaId: etapa.id, ...parsed.data });
      context.logger.info({ etapaId: etapa.id, republicadas: r.republicadas }, "evaluacion/etapa: score corrected");
      return redirect(`/admin/evaluacion/etapas/${etapa.id}?pagina=${pagina}&corregido=1`);
    }
    return invalid(formData, { form: "Acción desconocida. Recargue la página e inténtelo de nuevo." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "evaluacion/etapa", { level: (e) => (e.fields ? "info" : "warn") });
  }
}

export default function EtapaEvaluacion({ loaderData, actionData }: Route.ComponentProps) {
  const { etapa, convocatoria, requisitos, bloqueada, asignado, gestiona, evaluadores, avance, filas, total, faltantes, pagina, paginas, aviso } = loaderData;
  const result = actionData as FormErrors | undefined;
  const errors = result?.errors;
  const v = result?.values ?? {};
  return (
    <>
      <p>
        <Link to="/admin/evaluacion">← Mis evaluaciones</Link>
        {gestiona ? (
          <>
            {" "}
            · <Link to={`/admin/convocatorias/${convocatoria.id}/evaluacion`}>Evaluación de {convocatoria.codigo}</Link>
          </>
        ) : null}
      </p>
      <h1>
        {etapa.nombre}: {convocatoria.codigo}
      </h1>
      <p>
        {convocatoria.puesto} · Puntaje de 0 a {etapa.maximo}; aprueba con {etapa.minimo} · {cantidad(total, "postulación", "postulaciones")} · {faltantes} por calificar ·{" "}
        <span className="badge">{ESTADO_ETAPA_LABEL[etapa.estado]}</span>
      </p>
      {aviso ? (
        <div className="notice notice--success" role="status">
          <p>{aviso}</p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      {bloqueada ? <p className="notice">Esta etapa mostrará a quienes aprueben la etapa anterior cuando esta se cierre.</p> : null}
      {avance.length ? (
        <section aria-labelledby="avance-titulo">
          <h2 id="avance-titulo">Avance por evaluador</h2>
          <ul>
            {avance.map((a) => (
              <li key={a.id}>
                {a.nombre}: {a.calificadas} de {a.asignadas} {a.asignadas === 1 ? "calificada" : "calificadas"}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {requisitos.length ? (
        <details className="panel">
          <summary>Requisitos del perfil del puesto</summary>
          <p>
            En «Sustento de requisitos» cada postulante indica el documento y las páginas que acreditan cada requisito; cada
            enlace abre el documento en esa página.
          </p>
          <dl className="summary">
            {requisitos.map((r) => (
              <Fragment key={r.requisito}>
                <dt>{r.label}</dt>
                <dd className="texto-multilinea">{r.texto}</dd>
              </Fragment>
            ))}
          </dl>
        </details>
      ) : null}
      {asignado && etapa.estado !== "abierta" ? <p className="notice">La etapa está cerrada: sus puntajes ya no se pueden cambiar.</p> : null}

      {filas.length ? (
        <PuntajesEtapa etapa={etapa} asignado={asignado} gestiona={gestiona} evaluadores={evaluadores} filas={filas} pagina={pagina} errors={errors} values={v} />
      ) : (
        <p>No hay postulaciones en esta etapa por ahora.</p>
      )}
      {paginas > 1 ? (
        <nav aria-label="Páginas" className="actions">
          {pagina > 1 ? <Link to={`?pagina=${pagina - 1}`}>Anterior</Link> : null}
          <span>
            Página {pagina} de {paginas}
          </span>
          {pagina < paginas ? <Link to={`?pagina=${pagina + 1}`}>Siguiente</Link> : null}
        </nav>
      ) : null}

      {gestiona && filas.length && evaluadores.length ? (
        <CorregirPuntaje evaluadores={evaluadores} filas={filas} pagina={pagina} errors={errors} values={v} />
      ) : null}
    </>
  );
}
