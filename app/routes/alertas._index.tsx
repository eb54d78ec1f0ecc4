import { Form, Link, redirect, useActionData } from "react-router";
import { eliminarAlertaSchema } from "~/features/alertas/alerta.schema";
import { deleteAlerta } from "~/features/alertas/cancel-alerta.server";
import { MAX_ALERTAS_POR_CORREO } from "~/features/alertas/limites";
import { listAlertas } from "~/features/alertas/list-alertas.server";
import { formatLima } from "~/shared/lima";
import { answerError } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary } from "~/ui/form";
import type { Route } from "./+types/alertas._index";

export const meta: Route.MetaFunction = () => [{ title: "Mis alertas · CAS Online" }];

/** "Mis alertas": a signed-in applicant's alerts, each with "Eliminar". */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  const url = new URL(request.url);
  return {
    alertas: await listAlertas(context.services.db, postulante.id),
    email: postulante.email,
    aviso: url.searchParams.get("creada") === "1" ? "Alerta creada." : url.searchParams.get("eliminada") === "1" ? "Alerta eliminada." : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const parsed = parseForm(eliminarAlertaSchema, formData);
  if (!parsed.ok) return invalid(formData, parsed.errors);
  try {
    await deleteAlerta({ services: context.services, postulanteId: postulante.id, alertaId: parsed.data.alertaId });
  } catch (error) {
    return answerError(error, formData, context, "alert deletion");
  }
  context.logger.info({ postulanteId: postulante.id }, "alert deleted");
  return redirect("/alertas?eliminada=1");
}

export default function MisAlertas({ loaderData }: Route.ComponentProps) {
  const { alertas, email, aviso } = loaderData;
  const result = useActionData<typeof action>();
  return (
    <>
      <h1>Mis alertas</h1>
      {aviso && !result ? (
        <div className="notice notice--success" role="status">
          <p>{aviso}</p>
        </div>
      ) : null}
      <ErrorSummary errors={result?.errors} />
      <p>
        Recibe en <strong>{email}</strong> un correo al día con las convocatorias nuevas que coinciden con cada alerta, solo
        cuando las hay (hasta {MAX_ALERTAS_POR_CORREO} alertas). Para crear una, busque en el{" "}
        <Link to="/convocatorias">Listado de Convocatorias</Link> y presione «Crear alerta con esta búsqueda».
      </p>
      {alertas.length === 0 ? (
        <p>Aún no tiene alertas.</p>
      ) : (
        <ul className="alertas">
          {alertas.map((a, i) => (
            <li key={a.id} className="panel">
              <h2 id={`alerta-${i}`}>Alerta {i + 1}</h2>
              <ul>
                {a.busqueda.map((d) => (
                  <li key={d}>{d}</li>
                ))}
              </ul>
              <p>
                Creada el {formatLima(a.creadaAt)}
                {a.ultimoEnvioAt ? ` · último correo el ${formatLima(a.ultimoEnvioAt)}` : ""}
              </p>
              <Form method="post" action="/alertas" aria-labelledby={`alerta-${i}`}>
                <CsrfInput />
                <input type="hidden" name="alertaId" value={a.id} />
                <button type="submit" className="button--secondary" aria-describedby={`alerta-${i}`}>
                  Eliminar
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
