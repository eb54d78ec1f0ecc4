import { data, Form, Link, redirect, useActionData } from "react-router";
import { confirmAlerta, isConfirmacionUsable } from "~/features/alertas/confirm-alerta.server";
import { refusal } from "~/web/answer-error.server";
import { readForm } from "~/web/forms.server";
import { CsrfInput } from "~/ui/form";
import type { Route } from "./+types/alertas.confirmar";

export const meta: Route.MetaFunction = () => [{ title: "Confirmar alerta · CAS Online" }];

// A token in the address: never cached, never sent on as a referrer (as /verificar-correo).
export const headers: Route.HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "same-origin" });

type Estado = "listo" | "invalido";

/** The e-mailed link opens this page; only the POST of "Confirmar mi alerta" confirms (mail scanners fetch links). */
export async function loader({ request, context }: Route.LoaderArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  const usable = await isConfirmacionUsable({ db: context.services.db, token, now: context.services.clock.now() });
  if (!usable) return data({ estado: "invalido" as Estado, token: "" }, { status: token ? 410 : 400 });
  return { estado: "listo" as Estado, token };
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
    return data({ estado: "invalido" as Estado, message: e.message }, { status: e.status });
  }
}

export default function ConfirmarAlerta({ loaderData }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const estado = actionData?.estado ?? loaderData.estado;
  if (estado === "invalido") {
    return (
      <>
        <h1>No se pudo confirmar la alerta</h1>
        <div className="notice notice--warning" role="alert">
          <p>{actionData?.message ?? "El enlace no es válido o ya venció. Los enlaces sirven una sola vez y vencen a los 7 días."}</p>
        </div>
        <p>
          <Link to="/convocatorias">Volver al Listado de Convocatorias</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Confirmar alerta</h1>
      <p>Presione el botón para confirmar que este correo es suyo y activar la alerta.</p>
      {/* Posted to the bare path: the token travels in the body, not again in the URL. */}
      <Form method="post" action="/alertas/confirmar">
        <CsrfInput />
        <input type="hidden" name="token" value={loaderData.token} />
        <div className="actions">
          <button type="submit">Confirmar mi alerta</button>
        </div>
      </Form>
    </>
  );
}
