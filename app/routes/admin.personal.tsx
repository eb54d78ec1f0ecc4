import { Form, redirect, useLocation } from "react-router";
import { createStaff } from "~/features/accounts/create-staff.server";
import { listStaff } from "~/features/accounts/list-staff.server";
import { setStaffEnabled } from "~/features/accounts/set-staff-enabled.server";
import { cambiarRolSchema, crearStaffSchema, STAFF_LABELS, STAFF_ROLES, staffIdSchema, staffRoleLabel } from "~/features/accounts/staff.schema";
import { updateStaffRole } from "~/features/accounts/update-staff-role.server";
import { answerError } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm, type FormErrors } from "~/web/forms.server";
import { CsrfInput, ErrorSummary, SelectField, TextField } from "~/ui/form";
import type { Route } from "./+types/admin.personal";

/** Staff accounts and roles (issue 2), administrador only ("manage:staff"). */
export function meta() {
  return [{ title: "Personal · Administración · CAS Online" }];
}

const NOTICES: Record<string, string> = {
  creado: "La cuenta de personal fue creada. Comunique la contraseña inicial a su titular por un medio seguro.",
  rol: "El rol fue actualizado.",
  deshabilitado: "La cuenta fue deshabilitada y sus sesiones se cerraron.",
  habilitado: "La cuenta fue habilitada.",
  sincambios: "No había cambios que guardar.",
};

export async function loader({ request, context }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "manage:staff");
  const personal = await listStaff(context.services.db);
  const url = new URL(request.url);
  const noticeKey = Object.keys(NOTICES).find((k) => url.searchParams.has(k));
  return {
    meId: me.id,
    personal,
    notice: noticeKey ? NOTICES[noticeKey]! : null,
  };
}

export async function action({ request, context }: Route.ActionArgs) {
  const { staff: me } = await requireStaff(request, context, "manage:staff");
  const formData = await readForm(request, context);
  const { services, logger } = context;
  const intent = formData.get("intent");
  try {
    if (intent === "crear") {
      const parsed = parseForm(crearStaffSchema, formData);
      if (!parsed.ok) {
        logger.info({ fields: Object.keys(parsed.errors) }, "admin/personal: create form invalid");
        return invalid(formData, parsed.errors);
      }
      const { id } = await createStaff({ services, actorId: me.id, input: parsed.data });
      logger.info({ staffId: id, role: parsed.data.role }, "admin/personal: staff account created");
      return redirect("/admin/personal?creado=1");
    }
    if (intent === "rol") {
      const parsed = parseForm(cambiarRolSchema, formData);
      if (!parsed.ok) return invalid(formData, { form: Object.values(parsed.errors)[0]! });
      const { changed } = await updateStaffRole({ services, actorId: me.id, ...parsed.data });
      logger.info({ staffId: parsed.data.staffId, changed }, "admin/personal: role set");
      return redirect(`/admin/personal?${changed ? "rol" : "sincambios"}=1`);
    }
    if (intent === "deshabilitar" || intent === "habilitar") {
      const parsed = parseForm(staffIdSchema, formData);
      if (!parsed.ok) return invalid(formData, { form: Object.values(parsed.errors)[0]! });
      const enabled = intent === "habilitar";
      const { changed } = await setStaffEnabled({ services, actorId: me.id, staffId: parsed.data.staffId, enabled });
      logger.info({ staffId: parsed.data.staffId, enabled, changed }, "admin/personal: enabled set");
      return redirect(`/admin/personal?${changed ? (enabled ? "habilitado" : "deshabilitado") : "sincambios"}=1`);
    }
    return invalid(formData, { form: "Acción desconocida. Recargue la página e inténtelo de nuevo." }, 400);
  } catch (error) {
    return answerError(error, formData, context, "admin/personal", { level: "warn" });
  }
}

export default function Personal({ loaderData, actionData }: Route.ComponentProps) {
  const { personal, meId, notice } = loaderData;
  const location = useLocation();
  const result = actionData as FormErrors | undefined;
  const createPosted = result?.values.intent === "crear";
  const rowError = result && !createPosted ? result.errors.form : undefined;
  return (
    <>
      <h1>Personal</h1>
      <p>Cuentas del personal de la Oficina de Recursos Humanos y sus roles.</p>
      {notice ? (
        <div className="notice notice--success" role="status">
          <p>{notice}</p>
        </div>
      ) : null}
      {rowError ? (
        <div className="error-summary" role="alert">
          <h2>No se pudo hacer el cambio</h2>
          <p>{rowError}</p>
        </div>
      ) : null}

      <section aria-labelledby="lista-personal">
        <h2 id="lista-personal">Cuentas de personal</h2>
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Nombre</th>
                <th scope="col">Correo electrónico</th>
                <th scope="col">Rol</th>
                <th scope="col">Estado</th>
                <th scope="col">Acciones</th>
              </tr>
            </thead>
            <tbody>
              {personal.map((m) => (
                <tr key={m.id}>
                  <td data-label="Nombre">
                    {m.nombre}
                    {m.id === meId ? <> <span className="badge">Usted</span></> : null}
                  </td>
                  <td data-label="Correo electrónico">{m.email}</td>
                  <td data-label="Rol">{staffRoleLabel(m.role)}</td>
                  <td data-label="Estado">
                    <span className="badge">{m.habilitado ? "Habilitada" : "Deshabilitada"}</span>
                  </td>
                  <td data-label="Acciones">
                    {m.id === meId ? (
                      <span className="hint">Su propia cuenta</span>
                    ) : (
                      <div className="staff-actions">
                        <Form method="post" action="/admin/personal" className="staff-role-form">
                          <CsrfInput />
                          <input type="hidden" name="staffId" value={m.id} />
                          <label htmlFor={`rol-${m.id}`} className="visually-hidden">
                            Rol de {m.nombre}
                          </label>
                          <select id={`rol-${m.id}`} name="role" defaultValue={m.role}>
                            {STAFF_ROLES.map((r) => (
                              <option key={r.value} value={r.value}>
                                {r.label}
                              </option>
                            ))}
                          </select>
                          <button type="submit" name="intent" value="rol" className="button button--secondary">
                            Cambiar rol<span className="visually-hidden"> de {m.nombre}</span>
                          </button>
                        </Form>
                        <Form method="post" action="/admin/personal">
                          <CsrfInput />
                          <input type="hidden" name="staffId" value={m.id} />
                          <button
                            type="submit"
                            name="intent"
                            value={m.habilitado ? "deshabilitar" : "habilitar"}
                            className="button button--secondary"
                          >
                            {m.habilitado ? "Deshabilitar" : "Habilitar"}
                            <span className="visually-hidden"> la cuenta de {m.nombre}</span>
                          </button>
                        </Form>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="crear-personal">
        <h2 id="crear-personal">Crear cuenta de personal</h2>
        <Form method="post" action="/admin/personal" key={`crear-${location.key}`} noValidate className="panel">
          <CsrfInput />
          <ErrorSummary errors={createPosted ? result?.errors : undefined} labels={STAFF_LABELS} />
          <TextField
            name="nombre"
            label="Nombre"
            autoComplete="off"
            required
            errors={createPosted ? result?.errors : undefined}
            defaultValue={createPosted ? result?.values.nombre : undefined}
          />
          <TextField
            name="email"
            label="Correo electrónico"
            type="email"
            autoComplete="off"
            required
            errors={createPosted ? result?.errors : undefined}
            defaultValue={createPosted ? result?.values.email : undefined}
          />
          <SelectField
            name="role"
            label="Rol"
            required
            placeholder="Seleccione"
            options={STAFF_ROLES}
            errors={createPosted ? result?.errors : undefined}
            defaultValue={createPosted ? result?.values.role : undefined}
          />
          <TextField
            name="password"
            label="Contraseña inicial"
            type="password"
            autoComplete="new-password"
            required
            errors={createPosted ? result?.errors : undefined}
            hint="Al menos 8 caracteres, con letras y números; no una contraseña común."
          />
          <div className="actions">
            <button type="submit" name="intent" value="crear">
              Crear cuenta
            </button>
          </div>
        </Form>
      </section>
    </>
  );
}
