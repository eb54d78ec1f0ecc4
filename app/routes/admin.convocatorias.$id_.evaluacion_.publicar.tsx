import { data, Form, Link, redirect } from "react-router";
import { z } from "zod";
import { previewResultados, publishResultados } from "~/features/evaluacion/publish-resultados.server";
import { ResultadosPublicados } from "~/features/evaluacion/resultados-publicados";
import { AppError } from "~/shared/app-error";
import { cantidad } from "~/shared/format";
import { isUuid } from "~/shared/ids";
import { CsrfInput, ErrorSummary, fieldId } from "~/ui/form";
import { answerError, asNotFound, notFound, refusal } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { parseForm, readForm } from "~/web/forms.server";
import type { Route } from "./+types/admin.convocatorias.$id_.evaluacion_.publicar";

/**
 * "Publicar resultados" of a stage and "Publicar resultado final" in two steps (issue 14): this
 * page shows exactly what becomes public — the list as the public page renders it and the PDF
 * it is published with — and how many applicants are e-mailed; only "Confirmar publicación"
 * publishes, and only the rows the page showed (their fingerprint). A list already published is
 * corrected by a fe de erratas: a new version with its reason, the earlier one kept public and
 * marked as corrected, an e-mail only to those whose row changes.
 */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Vista previa de la publicación · ${d && "convocatoria" in d ? d.convocatoria.codigo : "Resultados"} · CAS Online` }];

const textos = {
  motivo: z.string().trim().max(1000, { error: "El motivo admite hasta 1000 caracteres." }).optional(),
  referenciaActa: z.string().trim().max(200, { error: "La referencia del acta admite hasta 200 caracteres." }).optional(),
};
const confirmarSchema = z.object({
  alcance: z.union([z.literal("final"), z.uuid({ error: "Recargue la página e inténtelo de nuevo." })]),
  huella: z.string().regex(/^[0-9a-f]{64}$/, { error: "Recargue la vista previa e inténtelo de nuevo." }),
  ...textos,
});

function alcanceDe(value: string | null) {
  if (value === "final") return "final" as const;
  if (value && isUuid(value)) return { etapaId: value };
  return null;
}

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  const url = new URL(request.url);
  const alcance = alcanceDe(url.searchParams.get("alcance"));
  if (!isUuid(params.id) || !alcance) throw notFound("No encontramos esa lista de resultados.");
  const motivo = (url.searchParams.get("motivo") ?? "").slice(0, 1000);
  const referenciaActa = (url.searchParams.get("referenciaActa") ?? "").slice(0, 200);
  const volver = `/admin/convocatorias/${params.id}/evaluacion`;
  try {
    const preview = await previewResultados({ services: context.services, convocatoriaId: params.id, alcance });
    const pdf = `${url.pathname}/pdf?${new URLSearchParams({ alcance: preview.alcance, motivo, referenciaActa })}`;
    return { ...preview, motivo, referenciaActa, pdf, volver, ahora: context.services.clock.now().toISOString(), rechazo: null };
  } catch (error) {
    if (error instanceof AppError && error.status === 404) throw asNotFound(error);
    // Not publishable now (missing scores, a tie, the window open…): said in the refusal's words.
    const r = refusal(error, context, "evaluacion/publicar: preview");
    return data({ rechazo: r.message, volver }, { status: r.status });
  }
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "review:postulacion");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const formData = await readForm(request, context);
  const parsed = parseForm(confirmarSchema, formData);
  if (!parsed.ok) return answerError(new AppError("evaluacion.publicar_invalido", Object.values(parsed.errors)[0]!, { fields: parsed.errors }), formData, context, "evaluacion/publicar");
  const a = parsed.data;
  try {
    const r = await publishResultados({
      services: context.services,
      actorId: staff.id,
      convocatoriaId: params.id,
      alcance: a.alcance === "final" ? "final" : { etapaId: a.alcance },
      motivo: a.motivo ?? null,
      referenciaActa: a.referenciaActa ?? null,
      huella: a.huella,
    });
    context.logger.info({ convocatoriaId: params.id, alcance: a.alcance, version: r.version, destinatarios: r.destinatarios }, "evaluacion: results published after their preview");
    return redirect(`/admin/convocatorias/${params.id}/evaluacion?aviso=publicada`);
  } catch (error) {
    return answerError(error, formData, context, "evaluacion/publicar", { notFoundPage: true, level: "warn" });
  }
}

export default function VistaPreviaResultados({ loaderData: d, actionData }: Route.ComponentProps) {
  const errors = actionData?.errors;
  if (d.rechazo !== null) {
    return (
      <>
        <p>
          <Link to={d.volver}>← Evaluación</Link>
        </p>
        <h1>Vista previa de la publicación</h1>
        <div className="notice notice--warning" role="alert">
          <p>Todavía no se puede publicar esta lista: {d.rechazo}</p>
        </div>
      </>
    );
  }
  const feDeErratas = d.version > 1;
  return (
    <>
      <p>
        <Link to={d.volver}>← Evaluación: {d.convocatoria.codigo}</Link>
      </p>
      <h1>Vista previa de la publicación</h1>
      <p>
        {d.titulo} · {d.convocatoria.puesto} · {feDeErratas ? `fe de erratas (versión ${d.version})` : "versión 1"}
      </p>
      <ErrorSummary errors={errors} />
      <div className="notice">
        <p>
          {`Al confirmar, esta lista y su PDF serán públicos en la página de la convocatoria, y se enviará un correo a ${cantidad(d.destinatarios, "postulante", "postulantes")}.`}
        </p>
        {feDeErratas ? (
          <>
            <p>{`La versión ${d.version - 1} seguirá publicada, marcada como corregida por esta. El correo va solo a quienes cambia su resultado:`}</p>
            {d.cambian.length ? (
              <ul>
                {d.cambian.map((n, i) => (
                  <li key={i}>{n}</li>
                ))}
              </ul>
            ) : (
              <p>nadie: ninguna fila cambia.</p>
            )}
          </>
        ) : null}
      </div>

      <Form method="get" className="panel" aria-labelledby="datos-publicacion">
        <h2 id="datos-publicacion">{feDeErratas ? "Motivo y acta" : "Referencia del acta"}</h2>
        <input type="hidden" name="alcance" value={d.alcance} />
        {feDeErratas ? (
          <div className="field">
            <label htmlFor={fieldId("motivo")}>Motivo de la fe de erratas</label>
            <p className="hint" id="motivo-ayuda">
              Se publica con la nueva versión, en la página, el PDF y el correo.
            </p>
            <textarea id={fieldId("motivo")} name="motivo" rows={2} maxLength={1000} defaultValue={d.motivo} aria-describedby="motivo-ayuda" />
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={fieldId("referenciaActa")}>
            Referencia del acta <span className="optional">(opcional)</span>
          </label>
          <p className="hint" id="referenciaActa-ayuda">
            Por ejemplo, «Acta N° 003-2026-CS»: se imprime en el PDF publicado.
          </p>
          <input id={fieldId("referenciaActa")} name="referenciaActa" maxLength={200} defaultValue={d.referenciaActa} aria-describedby="referenciaActa-ayuda" />
        </div>
        <button type="submit" className="button--secondary">
          Actualizar la vista previa
        </button>
      </Form>

      <section aria-labelledby="vista-previa">
        <h2 id="vista-previa">Lo que se publicará</h2>
        <p>
          <a href={d.pdf} target="_blank" rel="noopener">
            Ver el PDF que se publicará
          </a>
        </p>
        <ResultadosPublicados
          headingLevel={3}
          listas={[
            { id: "vista-previa", titulo: d.titulo, alcance: d.alcance, version: d.version, motivo: d.motivo || null, publishedAt: d.ahora, etapas: d.etapas, filas: d.filas, pdfUrl: null, anteriores: [] },
          ]}
        />
      </section>

      <Form method="post" className="panel" aria-labelledby="confirmar">
        <h2 id="confirmar">Confirmar</h2>
        <CsrfInput />
        <input type="hidden" name="alcance" value={d.alcance} />
        <input type="hidden" name="huella" value={d.huella} />
        <input type="hidden" name="motivo" value={d.motivo} />
        <input type="hidden" name="referenciaActa" value={d.referenciaActa} />
        {feDeErratas && !d.motivo ? <p>Escriba el motivo de la fe de erratas arriba y actualice la vista previa antes de confirmar.</p> : null}
        <div className="actions">
          <button type="submit">Confirmar publicación</button>
          <Link className="button button--secondary" to={d.volver}>
            Volver sin publicar
          </Link>
        </div>
      </Form>
    </>
  );
}
