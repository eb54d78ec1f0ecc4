import { Form, Link, redirect, useActionData } from "react-router";
import { ALERTA_LABELS, nuevaAlertaSchema } from "~/features/alertas/alerta.schema";
import { createAlerta, cuentaParaAlerta } from "~/features/alertas/create-alerta.server";
import { MAX_ALERTAS_POR_CORREO } from "~/features/alertas/limites";
import { busquedaDe, busquedaQuery, describirBusqueda } from "~/features/convocatorias/filtros.server";
import { answerError } from "~/web/answer-error.server";
import { getPrincipal } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField } from "~/ui/form";
import type { Route } from "./+types/alertas.nueva";

export const meta: Route.MetaFunction = ({ data: d }) => [{ title: `${d?.enviada ? "Revise su correo" : "Crear alerta"} · CAS Online` }];

export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store" });

async function cuenta(request: Request, context: Route.LoaderArgs["context"]) {
  const principal = await getPrincipal(request, context);
  return principal?.kind === "postulante" ? cuentaParaAlerta(context.services.db, principal.postulanteId) : null;
}

/** "Crear alerta con esta búsqueda" (issue 17): the list's search, kept in the address. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const busqueda = busquedaDe(url.searchParams);
  const postulante = await cuenta(request, context);
  return {
    enviada: url.searchParams.get("enviada") === "1",
    busqueda,
    descripcion: describirBusqueda(busqueda),
    // Also the form's target: a refused form (no JavaScript) is the page again, with its search.
    query: busquedaQuery(busqueda) ? `?${busquedaQuery(busqueda)}` : "",
    correoCuenta: postulante?.email ?? null,
    verificado: Boolean(postulante?.emailVerifiedAt),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  const busqueda = busquedaDe(formData);
  const postulante = await cuenta(request, context);
  try {
    if (postulante) {
      await createAlerta({ services: context.services, busqueda, postulante, ip: context.ip });
      context.logger.info({ postulanteId: postulante.id }, "alert created");
      return redirect("/alertas?creada=1");
    }
    const parsed = parseForm(nuevaAlertaSchema, formData);
    if (!parsed.ok) {
      context.logger.info({ fields: Object.keys(parsed.errors) }, "alert form invalid");
      return invalid(formData, parsed.errors);
    }
    await createAlerta({ services: context.services, busqueda, email: parsed.data.email, ip: context.ip });
  } catch (error) {
    return answerError(error, formData, context, "alert creation", { level: "warn" });
  }
  // The same answer whatever the address's alerts (create-alerta.server.ts).
  context.logger.info("alert asked for; confirmation pending");
  return redirect("/alertas/nueva?enviada=1");
}

export default function NuevaAlerta({ loaderData }: Route.ComponentProps) {
  const { enviada, busqueda, descripcion, query, correoCuenta, verificado } = loaderData;
  const listado = `/convocatorias${query}`;
  const result = useActionData<typeof action>();
  if (enviada && !result) {
    return (
      <>
        <h1>Revise su correo</h1>
        <div className="notice notice--success" role="status">
          <p>Le enviamos un correo con el enlace «Confirmar mi alerta». La alerta empieza a funcionar cuando lo abra.</p>
        </div>
        <p>El enlace vale 7 días. Si no llega en unos minutos, revise la carpeta de correo no deseado.</p>
        <p>
          <Link to="/convocatorias">Volver al Listado de Convocatorias</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Crear alerta</h1>
      <p>
        Le enviaremos un correo al día con las convocatorias que se publiquen y coincidan con esta búsqueda, solo cuando
        haya nuevas. Podrá cancelarla en cualquier momento con el enlace de cada correo.
      </p>
      <h2>Su búsqueda</h2>
      <ul>
        {descripcion.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      <p>
        <Link to={listado}>Cambiar la búsqueda en el listado</Link>
      </p>
      <Form method="post" action={`/alertas/nueva${query}`} className="panel">
        <ErrorSummary errors={result?.errors} labels={ALERTA_LABELS} />
        <CsrfInput />
        {Object.entries(busqueda).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        {correoCuenta ? (
          <TextField
            name="email"
            type="email"
            label={ALERTA_LABELS.email}
            defaultValue={correoCuenta}
            readOnly
            required
            errors={result?.errors}
            hint={
              verificado
                ? `El correo de su cuenta. Puede tener hasta ${MAX_ALERTAS_POR_CORREO} alertas; véalas en «Mis alertas».`
                : "El correo de su cuenta, aún sin verificar: verifíquelo en «Mi Perfil» para recibir alertas."
            }
          />
        ) : (
          <TextField
            name="email"
            type="email"
            label={ALERTA_LABELS.email}
            defaultValue={result?.values.email}
            autoComplete="email"
            inputMode="email"
            maxLength={254}
            required
            errors={result?.errors}
            hint="Le enviaremos un enlace para confirmar que el correo es suyo."
          />
        )}
        <div className="actions">
          <button type="submit">Crear alerta</button>
          <Link to={listado}>Cancelar</Link>
        </div>
      </Form>
    </>
  );
}
