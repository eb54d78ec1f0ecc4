import { Form, Link } from "react-router";
import { FASE_LABEL } from "~/features/convocatorias/estado";
import { formatLima } from "~/shared/lima";
import { listConvocatoriasAdmin } from "~/features/convocatorias/list-convocatorias.server";
import { Paginacion } from "~/features/convocatorias/paginacion";
import { requireStaff } from "~/web/auth.server";
import { SelectField, TextField } from "~/ui/form";
import type { Route } from "./+types/admin.convocatorias._index";

export const meta: Route.MetaFunction = () => [{ title: "Convocatorias · Administración · CAS Online" }];

const ESTADOS = [
  { value: "borrador", label: "Borrador" },
  { value: "publicada", label: "Publicada (todas)" },
  { value: "en_postulacion", label: "En postulación" },
  { value: "en_evaluacion", label: "En evaluación" },
  { value: "concluida", label: "Concluida" },
  { value: "cancelada", label: "Cancelada" },
  { value: "desierta", label: "Desierta" },
];

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "manage:convocatoria");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").slice(0, 100);
  const estado = url.searchParams.get("estado") ?? "";
  const page = Number(url.searchParams.get("page")) || 1;
  const result = await listConvocatoriasAdmin(context.services.db, context.services.clock.now(), { q, estado, page });
  return { ...result, q, estado, search: url.search, eliminada: url.searchParams.get("aviso") === "eliminada" };
}

export default function AdminConvocatorias({ loaderData }: Route.ComponentProps) {
  const { items, total, page, pages, q, estado, search, eliminada } = loaderData;
  return (
    <>
      <p>
        <Link to="/admin">← Administración</Link>
      </p>
      <h1>Convocatorias</h1>
      {eliminada ? (
        <div className="notice notice--success" role="status">
          Borrador eliminado.
        </div>
      ) : null}
      <p>
        <Link to="/admin/convocatorias/nueva" className="button">
          Nueva convocatoria
        </Link>
      </p>
      <Form method="get" className="panel filtros" role="search" aria-label="Buscar convocatorias">
        <TextField name="q" label="Buscar por código, puesto o unidad orgánica" type="search" defaultValue={q} required />
        <SelectField name="estado" label="Estado" defaultValue={estado} options={ESTADOS} placeholder="Todos" required />
        <button type="submit">Buscar</button>
      </Form>
      <p role="status">
        {total === 1 ? "1 convocatoria" : `${total} convocatorias`}
      </p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Código</th>
              <th scope="col">Puesto</th>
              <th scope="col">Unidad orgánica</th>
              <th scope="col">Estado</th>
              <th scope="col">Postulación (hora de Lima)</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.id}>
                <td data-label="Código">
                  <Link to={`/admin/convocatorias/${c.id}`}>{c.codigo}</Link>
                </td>
                <td data-label="Puesto">{c.puesto}</td>
                <td data-label="Unidad orgánica">{c.unidadOrganica}</td>
                <td data-label="Estado">
                  <span className="badge">{FASE_LABEL[c.fase]}</span>
                </td>
                <td data-label="Postulación (hora de Lima)">{c.postulacionInicio && c.postulacionFin ? `${formatLima(c.postulacionInicio)} – ${formatLima(c.postulacionFin)}` : "Sin plazo"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Paginacion page={page} pages={pages} search={search} label="Páginas de convocatorias" />
    </>
  );
}
