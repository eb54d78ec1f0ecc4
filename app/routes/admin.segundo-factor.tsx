import { Form, Link, redirect } from "react-router";
import { requireStaffPasswordStep } from "~/web/staff-password-step.server";
import { isTotpEnabled } from "~/features/staff-mfa/is-totp-enabled.server";
import { verifySecondFactor } from "~/features/staff-mfa/verify-second-factor.server";
import { answerError } from "~/web/answer-error.server";
import { safeRedirectTo } from "~/web/auth.server";
import { readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField } from "~/ui/form";
import type { Route } from "./+types/admin.segundo-factor";

/** The second sign-in step for staff (issue 5): a code from the authenticator app, or a recovery code. */
export const meta: Route.MetaFunction = () => [{ title: "Segundo factor · Administración · CAS Online" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff } = await requireStaffPasswordStep(request, context);
  const enrolled = await isTotpEnabled(context.services.db, staff.id);
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "/admin");
  if (!enrolled) throw redirect(`/admin/mfa?redirectTo=${encodeURIComponent(redirectTo)}`);
  return { redirectTo, nombre: staff.nombre };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, principal } = await requireStaffPasswordStep(request, context);
  const formData = await readForm(request, context);
  const redirectTo = safeRedirectTo(formData.get("redirectTo"), "/admin");
  try {
    const { recovery } = await verifySecondFactor({
      services: context.services,
      staffId: staff.id,
      sessionHash: principal.sessionHash,
      code: String(formData.get("codigo") ?? "").slice(0, 40),
    });
    context.logger.info({ staffId: staff.id, recovery }, "staff second factor verified");
    return redirect(redirectTo);
  } catch (error) {
    return answerError(error, formData, context, "staff second factor", { level: "warn", log: { staffId: staff.id } });
  }
}

export default function SegundoFactor({ loaderData, actionData }: Route.ComponentProps) {
  const result = actionData as FormErrors | undefined;
  return (
    <>
      <h1>Verificación en dos pasos</h1>
      <p>Ingrese el código de 6 dígitos que muestra su aplicación de autenticación. Si no tiene su teléfono, use uno de sus códigos de recuperación.</p>
      <ErrorSummary errors={result?.errors} labels={{ codigo: "Código" }} />
      <Form method="post" className="panel">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <TextField name="codigo" label="Código" required autoComplete="one-time-code" inputMode="text" maxLength={40} errors={result?.errors} />
        <button type="submit" className="button">
          Verificar
        </button>
      </Form>
      <p>
        <Link to="/admin/logout">Salir</Link>
      </p>
    </>
  );
}
