import { Form, Link, redirect, useActionData } from "react-router";
import { EVENTOS, EVENTO_LABEL } from "~/features/auditoria/eventos";
import { findPostulanteId, listAuditLog, listPersonalParaFiltro, nombrePostulante, readFiltros } from "~/features/auditoria/list-audit-log.server";
import { formatLima } from "~/shared/lima";
import { CsrfInput, ErrorSummary, SelectField, TextField } from "~/ui/form";
import { requireStaff } from "~/web/auth.server";
import { invalid, readForm } from "~/web/forms.server";
import type { Route } from "./+types/admin.auditoria";

/**
 * The audit-log viewer (issue 14), administrador only: who did what and when, filtered by
 * staff member, applicant, postulación, action and date, newest first; the same rows as CSV.
 */
export const meta: Route.MetaFunction = () => [{ title: "Auditoría · CAS Online" }];

const ACCIONES = EVENTOS.map((e) => ({ value: e, label: EVENTO_LABEL[e] })).sort((a, b) => a.label.localeCompare(b.label, "es"));

export async function loader({ request, context }: Route.LoaderArgs) {
  await requireStaff(request, context, "view:auditoria");
  const url = new URL(request.url);
  const filtros = readFiltros(url.searchParams);
  const db = context.services.db;
  const [{ filas, siguiente }, personal, postulanteNombre] = await Promise.all([
    listAuditLog(db, filtros),
    listPersonalParaFiltro(db),
    filtros.postulante ? nombrePostulante(db, filtros.postulante) : null,
  ]);
  const { antesDe: _antesDe, ...sinPagina } = filtros;
  const query = new URLSearchParams(Object.entries(sinPagina).filter((e): e is [string, string] => typeof e[1] === "string"));
  return { filas, siguiente, personal, filtros: sinPagina, query: query.toString(), postulanteNombre };
}

/** The applicant filter: a document number arrives by POST and leaves as the applicant's id (never in a URL). */
export async function action({ request, context }: Route.ActionArgs) {
  await requireStaff(request, context, "view:auditoria");
  const formData = await readForm(request, context);
  const numero = String(formData.get("numeroDocumento") ?? "");
  const id = await findPostulanteId(context.services.db, numero);
  if (!id) {
    context.logger.info("auditoria: applicant filter matched nobody");
    return invalid(formData, { numeroDocumento: "No hay un postulante con ese número de documento." }, 422);
  }
  const back = new URLSearchParams(String(formData.get("query") ?? ""));
  back.set("postulante", id);
  return redirect(`/admin/auditoria?${back}`);
}

export default function Auditoria({ loaderData: d }: Route.ComponentProps) {
  const actionData = useActionData<typeof action>();
  const f = d.filtros;
  const sin = (key: string) => {
    const q = new URLSearchParams(d.query);
    q.delete(key);
    return `/admin/auditoria${q.size ? `?${q}` : ""}`;
  };
  return (
    <>
      <p>
        <Link to="/admin">← Administración</Link>
      </p>
      <h1>Auditoría</h1>
      <p>Cada acción del personal y de los postulantes queda registrada con quién la hizo y cuándo (hora de Lima).</p>
      <ErrorSummary errors={actionData?.errors} />

      <Form method="get" className="panel" aria-labelledby="filtros">
        <h2 id="filtros">Filtrar</h2>
        <div className="grid-2">
          <SelectField name="personal" label="Personal" defaultValue={f.personal} options={d.personal} placeholder="Todo el personal" />
          <SelectField name="accion" label="Acción" defaultValue={f.accion} options={ACCIONES} placeholder="Todas las acciones" />
          <TextField name="postulacion" label="N° de postulación" defaultValue={f.postulacion} maxLength={40} />
          <div />
          <TextField name="desde" label="Desde (fecha)" type="date" defaultValue={f.desde} />
          <TextField name="hasta" label="Hasta (fecha)" type="date" defaultValue={f.hasta} />
        </div>
        {f.postulante ? <input type="hidden" name="postulante" value={f.postulante} /> : null}
        <div className="actions">
          <button type="submit">Filtrar</button>
          <Link className="button button--secondary" to="/admin/auditoria">
            Quitar filtros
          </Link>
        </div>
      </Form>

      <Form method="post" className="panel" aria-labelledby="por-postulante">
        <h2 id="por-postulante">Acciones de un postulante</h2>
        <CsrfInput />
        <input type="hidden" name="query" value={d.query} />
        {d.postulanteNombre ? (
          <p>
            {`Mostrando solo lo de ${d.postulanteNombre}. `}
            <Link to={sin("postulante")}>Quitar este filtro</Link>
          </p>
        ) : null}
        <TextField name="numeroDocumento" label="N° de documento del postulante" autoComplete="off" maxLength={20} errors={actionData?.errors} />
        <button type="submit" className="button--secondary">
          Buscar postulante
        </button>
      </Form>

      <p className="actions">
        <a className="button button--secondary" href={`/admin/auditoria/csv${d.query ? `?${d.query}` : ""}`}>
          Exportar a CSV
        </a>
      </p>

      <section aria-labelledby="registro">
        <h2 id="registro">Registro</h2>
        {d.filas.length ? (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Fecha y hora (Lima)</th>
                  <th scope="col">Quién</th>
                  <th scope="col">Acción</th>
                  <th scope="col">Sobre qué</th>
                  <th scope="col">Detalle</th>
                </tr>
              </thead>
              <tbody>
                {d.filas.map((r) => (
                  <tr key={r.id}>
                    <td data-label="Fecha y hora (Lima)">
                      <time dateTime={r.at}>{formatLima(r.at)}</time>
                    </td>
                    <td data-label="Quién">{r.quien}</td>
                    <td data-label="Acción">{r.accion}</td>
                    <td data-label="Sobre qué">{r.enlace ? <Link to={r.enlace}>{r.sobre}</Link> : r.sobre}</td>
                    <td data-label="Detalle">{r.detalle || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p>No hay acciones registradas con esos filtros.</p>
        )}
        {d.siguiente ? (
          <p>
            <Link to={`/admin/auditoria?${new URLSearchParams([...new URLSearchParams(d.query), ["antesDe", String(d.siguiente)]])}`}>Ver acciones más antiguas →</Link>
          </p>
        ) : null}
      </section>
    </>
  );
}
