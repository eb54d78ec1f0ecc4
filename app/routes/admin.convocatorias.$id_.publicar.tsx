import { Form, Link, redirect, useActionData } from "react-router";
import { ConvocatoriaDetalleView } from "~/features/convocatorias/convocatoria-detalle";
import { previewConvocatoriaPublication, publishConvocatoria } from "~/features/convocatorias/publish-convocatoria.server";
import { isUuid } from "~/shared/ids";
import { CsrfInput, ErrorSummary } from "~/ui/form";
import { answerError, asNotFound, notFound } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { readForm } from "~/web/forms.server";
import type { Route } from "./+types/admin.convocatorias.$id_.publicar";

/**
 * "Publicar" a convocatoria in two steps: this page shows exactly what becomes public (the
 * public page, rendered by the same component, as it will read once published) and whom it
 * e-mails; only "Confirmar publicación" publishes, and only the version the page showed.
 */
export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `Vista previa de la publicación · ${d?.convocatoria.codigo ?? "Convocatoria"} · CAS Online` }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:convocatoria");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  let preview;
  try {
    preview = await previewConvocatoriaPublication({ services: context.services, id: params.id });
  } catch (error) {
    throw asNotFound(error, "La convocatoria no existe.");
  }
  // Published already (or closed): nothing to preview; its page says so.
  if (preview.estado !== "borrador") throw redirect(`/admin/convocatorias/${params.id}`);
  return preview;
}

export async function action({ request, context, params }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:convocatoria");
  if (!isUuid(params.id)) throw notFound("La convocatoria no existe.");
  const formData = await readForm(request, context);
  try {
    await publishConvocatoria({
      services: context.services,
      actor: { type: "staff", id: staff.id },
      id: params.id,
      version: String(formData.get("version") ?? ""),
    });
    context.logger.info({ convocatoriaId: params.id }, "convocatoria: published after its preview");
    return redirect(`/admin/convocatorias/${params.id}?aviso=publicada`);
  } catch (error) {
    return answerError(error, formData, context, "convocatoria/publicar", { notFoundPage: true, pageFields: ["publicar"] });
  }
}

export default function VistaPreviaPublicacion({ loaderData: d }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const c = d.convocatoria;
  return (
    <>
      <p>
        <Link to={`/admin/convocatorias/${c.id}`}>← {c.codigo}</Link>
      </p>
      <h1>Vista previa de la publicación</h1>
      <ErrorSummary errors={actionData?.errors} />
      {d.impedimentos.length ? (
        <div className="notice notice--warning" id="publicar">
          <p>Todavía no se puede publicar:</p>
          <ul>
            {d.impedimentos.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
          <p>
            <Link to={`/admin/convocatorias/${c.id}#editar`}>Completar los datos de la convocatoria</Link>
          </p>
        </div>
      ) : (
        <Form method="post" className="panel" id="publicar">
          <CsrfInput />
          <input type="hidden" name="version" value={d.version} />
          <p>
            Al confirmar, la página de abajo será pública desde ese momento en el Listado de Convocatorias, en
            <code> /convocatorias/{c.id}</code>, con sus bases para descargar.
          </p>
          <p>
            {d.correos === 0
              ? "Publicar una convocatoria no envía correos a nadie."
              : `Se enviará un correo a ${d.correos} ${d.correos === 1 ? "persona" : "personas"}.`}
          </p>
          <div className="actions">
            <button type="submit">Confirmar publicación</button>
            <Link className="button button--secondary" to={`/admin/convocatorias/${c.id}`}>
              Volver sin publicar
            </Link>
          </div>
        </Form>
      )}
      <section aria-labelledby="vista-previa" className="vista-previa">
        <h2 id="vista-previa" className="visually-hidden">
          La página pública, tal como se verá
        </h2>
        <ConvocatoriaDetalleView c={c} titulo="h2" />
      </section>
    </>
  );
}
