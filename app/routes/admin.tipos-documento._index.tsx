import { Form, Link, redirect, useActionData } from "react-router";
import { z } from "zod";
import { TipoDocumentoCampos } from "~/features/tipos-documento/tipo-documento-campos";
import { tipoDocumentoSchema } from "~/features/tipos-documento/tipo-documento.schema";
import {
  createTipoDocumento, esFijo, gruposDeOrden, moveTipoDocumento, setTipoDocumentoActivo,
} from "~/features/tipos-documento/tipos-documento.server";
import { listTiposDocumento } from "~/features/convocatorias/convocatoria-datos.server";
import { formatBytes } from "~/shared/format";
import { answerError } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import { BotonAccion, SubirBajar } from "~/ui/acciones";
import { CsrfInput, ErrorSummary } from "~/ui/form";
import type { Route } from "./+types/admin.tipos-documento._index";

export const meta: Route.MetaFunction = () => [{ title: "Tipos de documento · Administración · CAS Online" }];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:tipos_documento");
  const grupos = gruposDeOrden(await listTiposDocumento(context.services.db));
  const tipos = grupos.flatMap((grupo, g) =>
    grupo.map((t, k) => ({
      ...t,
      limite: formatBytes(t.maxBytes),
      fijo: esFijo(t),
      // The identity pair moves as one: its buttons are on its first row.
      subir: k === 0 && g > 0,
      bajar: k === 0 && g < grupos.length - 1,
    })),
  );
  return { tipos, aviso: new URL(request.url).searchParams.get("aviso") };
}

const AVISOS: Record<string, string> = {
  agregado: "Tipo de documento agregado: ya se ofrece al crear o editar una convocatoria.",
  guardado: "Cambios guardados. Las convocatorias publicadas conservan el nombre y el tamaño con que se publicaron.",
  movido: "Orden actualizado.",
  retirado: "Tipo retirado: ya no se ofrece a nuevas convocatorias; las que lo solicitan lo conservan.",
  reactivado: "Tipo reactivado: se ofrece de nuevo a las convocatorias.",
};

const accionSchema = z.object({
  intent: z.enum(["subir", "bajar", "retirar", "reactivar"]),
  tipo: z.string().min(1).max(60),
});

export async function action({ request, context }: Route.ActionArgs) {
  const { staff } = await requireStaff(request, context, "manage:tipos_documento");
  const formData = await readForm(request, context);
  const services = context.services;
  const actor = { type: "staff" as const, id: staff.id };
  const done = (aviso: string) => redirect(`/admin/tipos-documento?aviso=${aviso}`);
  try {
    if (formData.get("intent") === "agregar") {
      const parsed = parseForm(tipoDocumentoSchema, formData);
      if (!parsed.ok) {
        context.logger.info("tipo documento: invalid form");
        return invalid(formData, parsed.errors);
      }
      await createTipoDocumento({ services, actor, input: parsed.data });
      return done("agregado");
    }
    const parsed = parseForm(accionSchema, formData);
    if (!parsed.ok) return invalid(formData, { form: "Acción desconocida." }, 400);
    const { intent, tipo: codigo } = parsed.data;
    if (intent === "subir" || intent === "bajar") {
      await moveTipoDocumento({ services, actor, codigo, direccion: intent });
      return done("movido");
    }
    await setTipoDocumentoActivo({ services, actor, codigo, activo: intent === "reactivar" });
    return done(intent === "reactivar" ? "reactivado" : "retirado");
  } catch (error) {
    return answerError(error, formData, context, "tipo documento", { notFoundPage: true });
  }
}

export default function AdminTiposDocumento({ loaderData }: Route.ComponentProps) {
  const { tipos, aviso } = loaderData;
  const actionData = useActionData<typeof action>();
  const errors = actionData?.errors;
  const values = actionData?.values?.intent === "agregar" ? actionData.values : undefined;
  return (
    <>
      <p>
        <Link to="/admin">← Administración</Link>
      </p>
      <h1>Tipos de documento</h1>
      <p>
        El catálogo de documentos que una convocatoria puede solicitar, en el orden de la lista del postulante. Al
        guardarse, cada convocatoria conserva el nombre y el tamaño máximo de los tipos que solicita: los cambios de
        aquí valen para las convocatorias nuevas y los borradores, no para las ya publicadas.
      </p>
      {aviso && AVISOS[aviso] ? (
        <div className="notice notice--success" role="status">
          {AVISOS[aviso]}
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Orden</th>
              <th scope="col">Tipo de documento</th>
              <th scope="col">Tamaño máximo</th>
              <th scope="col">Obligatorio por defecto</th>
              <th scope="col">Acciones</th>
            </tr>
          </thead>
          <tbody>
            {tipos.map((t, i) => (
              <tr key={t.codigo}>
                <td data-label="Orden">{i + 1}</td>
                <td data-label="Tipo de documento">
                  {t.nombre}
                  {t.activo ? null : (
                    <>
                      {" "}
                      <span className="badge">Retirado</span>
                    </>
                  )}
                </td>
                <td data-label="Tamaño máximo">{t.limite}</td>
                <td data-label="Obligatorio por defecto">{t.requeridoPorDefecto ? "Sí" : "No"}</td>
                <td data-label="Acciones">
                  <div className="actions">
                    <Link to={`/admin/tipos-documento/${t.codigo}`} className="button button--secondary">
                      Editar<span className="visually-hidden"> {t.nombre}</span>
                    </Link>
                    <SubirBajar subir={t.subir} bajar={t.bajar} nombre={t.nombre} campos={{ tipo: t.codigo }} />
                    {t.fijo ? null : t.activo ? (
                      <BotonAccion intent="retirar" campos={{ tipo: t.codigo }} label="Retirar" nombre={t.nombre} />
                    ) : (
                      <BotonAccion intent="reactivar" campos={{ tipo: t.codigo }} label="Reactivar" nombre={t.nombre} />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">
        El documento de identidad (DNI y Carnet de extranjería / otro) se mueve como una sola fila, siempre es
        obligatorio por defecto y no se puede retirar; los sustentos de bonificación nunca son obligatorios por defecto
        y tampoco se pueden retirar.
      </p>
      <Form method="post" className="panel" noValidate>
        <CsrfInput />
        <input type="hidden" name="intent" value="agregar" />
        <h2>Agregar un tipo de documento</h2>
        <TipoDocumentoCampos
          errors={errors}
          nombre={values?.nombre}
          tamanoMb={values?.tamanoMb ?? "5"}
          obligatorio={values?.obligatorio === "on"}
          nombreHint="Por ejemplo: Sustento de colegiatura"
        />
        <button type="submit">Agregar tipo</button>
      </Form>
    </>
  );
}
