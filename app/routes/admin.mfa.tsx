import { Form, Link, redirect } from "react-router";
import { requireStaffPasswordStep } from "~/web/staff-password-step.server";
import { confirmEnrolment, startEnrolment } from "~/features/staff-mfa/enrol-totp.server";
import { MFA_REQUIRED_ROLES } from "~/features/staff-mfa/policy.server";
import { otpauthUri, qrDataUrl } from "~/features/staff-mfa/totp.server";
import { refusal } from "~/web/answer-error.server";
import { safeRedirectTo } from "~/web/auth.server";
import { invalid, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, TextField } from "~/ui/form";
import type { Route } from "./+types/admin.mfa";

/**
 * Enrolment of the authenticator app (TOTP): the secret as text and as a QR, confirmed with a
 * code; then ten recovery codes, shown once. Required for gestor and administrador.
 */
export const meta: Route.MetaFunction = () => [{ title: "Activar verificación en dos pasos · CAS Online" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff } = await requireStaffPasswordStep(request, context);
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get("redirectTo"), "/admin");
  const secret = await startEnrolment(context.services, staff.id);
  if (!secret) return { enrolled: true as const, redirectTo };
  const uri = otpauthUri(secret, staff.email, (await context.services.entidad.current()).nombre.slice(0, 60));
  return {
    enrolled: false as const,
    redirectTo,
    secret: secret.replace(/(.{4})/g, "$1 ").trim(),
    qr: await qrDataUrl(uri),
    required: (MFA_REQUIRED_ROLES as readonly string[]).includes(staff.role),
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff, principal } = await requireStaffPasswordStep(request, context);
  const formData = await readForm(request, context);
  try {
    const { recoveryCodes } = await confirmEnrolment({
      services: context.services,
      staffId: staff.id,
      sessionHash: principal.sessionHash,
      code: String(formData.get("codigo") ?? "").slice(0, 20),
    });
    context.logger.info({ staffId: staff.id }, "staff TOTP enrolled");
    // Shown once, in this answer (not through a redirect: the codes must not be stored anywhere else).
    return { recoveryCodes, redirectTo: safeRedirectTo(formData.get("redirectTo"), "/admin") };
  } catch (error) {
    const refused = refusal(error, context, "staff TOTP enrolment", { level: "warn", log: { staffId: staff.id } });
    if (refused.code === "mfa.ya_activada") throw redirect("/admin/segundo-factor");
    return invalid(formData, refused.fieldErrors(), refused.status);
  }
}

export default function ActivarMfa({ loaderData, actionData }: Route.ComponentProps) {
  const done = actionData && "recoveryCodes" in actionData ? actionData : null;
  const result = actionData && "errors" in actionData ? (actionData as FormErrors) : undefined;
  if (done) {
    return (
      <>
        <h1>Verificación en dos pasos activada</h1>
        <div className="notice notice--warning">
          <p>
            Guarde estos códigos de recuperación en un lugar seguro. Cada uno sirve una sola vez para ingresar si no tiene su teléfono.
            No se volverán a mostrar.
          </p>
        </div>
        <ul className="recovery-codes">
          {done.recoveryCodes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <p>
          <Link to={done.redirectTo} className="button">
            Continuar
          </Link>
        </p>
      </>
    );
  }
  if (loaderData.enrolled) {
    return (
      <>
        <h1>Verificación en dos pasos</h1>
        <p>Su aplicación de autenticación ya está activada.</p>
        <p>
          <Link to={loaderData.redirectTo}>Continuar</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Activar la verificación en dos pasos</h1>
      {loaderData.required ? <p>Su rol requiere un segundo factor para ingresar a la administración.</p> : null}
      <ol>
        <li>Instale una aplicación de autenticación (por ejemplo Google Authenticator, Microsoft Authenticator o FreeOTP).</li>
        <li>
          Escanee este código QR o ingrese la clave manualmente:
          <div className="panel">
            <img src={loaderData.qr} alt="Código QR para la aplicación de autenticación" width={200} height={200} />
            <p>
              Clave: <code>{loaderData.secret}</code>
            </p>
          </div>
        </li>
        <li>Ingrese el código de 6 dígitos que muestra la aplicación.</li>
      </ol>
      <ErrorSummary errors={result?.errors} labels={{ codigo: "Código" }} />
      <Form method="post" className="panel">
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
        <TextField name="codigo" label="Código de 6 dígitos" required autoComplete="one-time-code" inputMode="numeric" maxLength={6} errors={result?.errors} />
        <button type="submit" className="button">
          Activar
        </button>
      </Form>
    </>
  );
}
