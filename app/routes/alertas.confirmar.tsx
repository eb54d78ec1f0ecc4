import { data, Link, redirect, useActionData } from "react-router";
import { confirmAlerta, isConfirmacionUsable } from "~/features/alertas/confirm-alerta.server";
import { refusal } from "~/web/answer-error.server";
import { readForm } from "~/web/forms.server";
import { loadTokenPage, tokenPageHeaders } from "~/web/token-page.server";
import { TokenConfirmForm, TokenOutcome } from "~/ui/token-confirm";
import type { Route } from "./+types/alertas.confirmar";

export const meta: Route.MetaFunction = () => [{ title: "Confirmar alerta · CAS Online" }];

// A token in the address: never cached, never sent on as a referrer (as /verificar-correo).
export const headers: Route.HeadersFunction = tokenPageHeaders;

/** The e-mailed link opens this page; only the POST of "Confirmar mi alerta" confirms (mail scanners fetch links). */
export async function loader({ request, context }: Route.LoaderArgs) {
  return loadTokenPage(request, (token) => isConfirmacionUsable({ db: context.services.db, token, now: context.services.clock.now() }));
}

export async function action({ request, context }: Route.ActionArgs) {
  const formData = await readForm(request, context);
  try {
    const { alertaId, rutaBaja } = await confirmAlerta({ services: context.services, token: formData.get("token") });
    context.logger.info({ alertaId }, "alert confirmed");
    // The alert's own page: "Alerta confirmada", and "Cancelar alerta" should the person change their mind.
    return redirect(`${rutaBaja}&confirmada=1`);
  } catch (error) {
    const e = refusal(error, context, "alert confirmation");
    return data({ estado: "invalido" as const, message: e.message }, { status: e.status });
  }
}

export default function ConfirmarAlerta({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const estado = actionData?.estado ?? loaderData.estado;
  if (estado === "invalido") {
    return (
      <TokenOutcome titulo="No se pudo confirmar la alerta" tono="warning" role="alert" enlaces={<Link to="/convocatorias">Volver al Listado de Convocatorias</Link>}>
        <p>{actionData?.message ?? "El enlace no es válido o ya venció. Los enlaces sirven una sola vez y vencen a los 7 días."}</p>
      </TokenOutcome>
    );
  }
  return (
    <TokenConfirmForm
      titulo="Confirmar alerta"
      texto="Presione el botón para confirmar que este correo es suyo y activar la alerta."
      action="/alertas/confirmar"
      token={loaderData.token}
      boton="Confirmar mi alerta"
    />
  );
}
