import { data, Form, Link, useActionData } from "react-router";
import { alertaDeEnlaceBaja, cancelAlertaPorEnlace } from "~/features/alertas/cancel-alerta.server";
import { refusal } from "~/web/answer-error.server";
import { readOneClickUnsubscribe } from "~/web/forms.server";
import type { Route } from "./+types/alertas.baja";

export const meta: Route.MetaFunction = () => [{ title: "Cancelar alerta · CAS Online" }];

// A token in the address: never cached, never sent on as a referrer.
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin" });

/**
 * The List-Unsubscribe address of an alert's e-mails (RFC 8058). GET shows the alert and a
 * "Cancelar alerta" button and changes nothing (a mail scanner fetches links); POST with
 * `List-Unsubscribe=One-Click` — the mail client's one click, or that button — deletes it,
 * without a CSRF token or a session (app/web/forms.server.ts, readOneClickUnsubscribe), and
 * answers 200 with no redirect, as the RFC asks.
 */
export async function loader({ request, context }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token") ?? "";
  const alerta = await alertaDeEnlaceBaja({ services: context.services, token });
  if (!alerta) {
    context.logger.info("unsubscribe page: link names no alert");
    return data({ token: "", busqueda: null, confirmada: false }, { status: token ? 410 : 400 });
  }
  // Just confirmed (/alertas/confirmar lands here).
  return { token, busqueda: alerta.busqueda, confirmada: url.searchParams.get("confirmada") === "1" };
}

export async function action({ request, context }: Route.ActionArgs) {
  if (!(await readOneClickUnsubscribe(request))) {
    context.logger.info("unsubscribe refused: not List-Unsubscribe=One-Click");
    return data({ cancelada: false, message: "Solicitud no válida. Use el botón «Cancelar alerta»." }, { status: 400 });
  }
  try {
    await cancelAlertaPorEnlace({ services: context.services, token: new URL(request.url).searchParams.get("token") });
  } catch (error) {
    const e = refusal(error, context, "alert unsubscribe");
    return data({ cancelada: false, message: e.message }, { status: e.status });
  }
  context.logger.info("alert cancelled by its link");
  // 200 said outright: otherwise the page's loader, run after the action, would set the status (410: the alert is gone).
  return data({ cancelada: true, message: "" }, { status: 200 });
}

export default function BajaAlerta({ loaderData }: Route.ComponentProps) {
  const result = useActionData<typeof action>();
  if (result?.cancelada) {
    return (
      <>
        <h1>Alerta cancelada</h1>
        <div className="notice notice--success" role="status">
          <p>No le enviaremos más correos de esta alerta.</p>
        </div>
        <p>
          <Link to="/convocatorias">Ver convocatorias</Link>
        </p>
      </>
    );
  }
  if (result || !loaderData.busqueda) {
    return (
      <>
        <h1>No se pudo cancelar la alerta</h1>
        <div className="notice notice--warning" role="alert">
          <p>{result?.message || "El enlace no es válido o la alerta ya fue cancelada."}</p>
        </div>
        <p>
          <Link to="/convocatorias">Ver convocatorias</Link>
        </p>
      </>
    );
  }
  return (
    <>
      {loaderData.confirmada ? (
        <>
          <h1>Alerta confirmada</h1>
          <div className="notice notice--success" role="status">
            <p>
              Su alerta está activa. Recibirá como máximo un correo al día, solo cuando se publiquen convocatorias que
              coincidan. Cada correo trae el enlace «Cancelar esta alerta».
            </p>
          </div>
          <h2>¿Cambió de opinión?</h2>
        </>
      ) : (
        <h1>Cancelar alerta</h1>
      )}
      <p>Esta alerta le envía las convocatorias nuevas que coinciden con:</p>
      <ul>
        {loaderData.busqueda.map((d) => (
          <li key={d}>{d}</li>
        ))}
      </ul>
      {/* The same POST a mail client sends for its one click (RFC 8058). */}
      <Form method="post" action={`/alertas/baja?token=${encodeURIComponent(loaderData.token)}`}>
        <input type="hidden" name="List-Unsubscribe" value="One-Click" />
        <div className="actions">
          <button type="submit">Cancelar alerta</button>
        </div>
      </Form>
    </>
  );
}
