import { data, Form, Link } from "react-router";
import { ConvocatoriaCard } from "~/features/convocatorias/convocatoria-card";
import { FILTROS_ESTADO } from "~/features/convocatorias/estado";
import { busquedaQuery, filtrosDe } from "~/features/convocatorias/filtros.server";
import { TIPOS_CONTRATO } from "~/features/convocatorias/tipo-contrato";
import { cachingHeaders, conditionalPage } from "~/web/http-cache.server";
import { listConvocatoriasPublicas, opcionesFiltros } from "~/features/convocatorias/list-convocatorias.server";
import { seoMeta } from "~/features/convocatorias/meta";
import { Paginacion } from "~/features/convocatorias/paginacion";
import { estadosDeMisPostulaciones } from "~/features/postulacion/list-mis-postulaciones.server";
import { getPrincipal } from "~/web/auth.server";
import { SelectField, TextField } from "~/ui/form";
import type { Route } from "./+types/convocatorias._index";

export const headers: Route.HeadersFunction = cachingHeaders;

/** Its anonymous page is kept by the public page cache (server/public-page-cache.ts). */
export const handle = { publicCache: true };

export const meta: Route.MetaFunction = ({ data: d }) =>
  d
    ? seoMeta({
        title: `Listado de Convocatorias${d.page > 1 ? ` (página ${d.page})` : ""} · CAS Online · ${d.entityName}`,
        description: `Convocatorias CAS de ${d.entityName}: puestos, vacantes, remuneración y plazos de postulación. Postule en línea.`,
        canonical: d.canonical,
      })
    : [{ title: "Listado de Convocatorias · CAS Online" }];

/** The public Listado de Convocatorias (seed 2.1.3): no account needed. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const { db, clock, config } = context.services;
  const url = new URL(request.url);
  const filtros = filtrosDe(url.searchParams);
  const [result, opciones] = await Promise.all([
    listConvocatoriasPublicas(db, clock.now(), filtros),
    opcionesFiltros(db),
  ]);
  // A signed-in applicant's cards are marked (one more query); the anonymous list, the one the
  // shared cache serves, costs nothing more. Signed-in pages are never cached (conditionalPage).
  const principal = await getPrincipal(request, context);
  const mias =
    principal?.kind === "postulante"
      ? await estadosDeMisPostulaciones(db, principal.postulanteId, result.items.map((c) => c.id))
      : {};
  const payload = {
    ...result,
    mias,
    filtros,
    opciones,
    search: url.search,
    // "Crear alerta con esta búsqueda": the search without its page (features/alertas).
    alerta: `/alertas/nueva${busquedaQuery(filtros) ? `?${busquedaQuery(filtros)}` : ""}`,
    entityName: (await context.services.entidad.current()).nombre,
    canonical: `${config.baseUrl}/convocatorias${result.page > 1 ? `?page=${result.page}` : ""}`,
  };
  return data(payload, { headers: await conditionalPage(request, context, payload) });
}

export default function ListadoConvocatorias({ loaderData }: Route.ComponentProps) {
  const { items, total, page, pages, filtros, opciones, search, mias, alerta } = loaderData;
  const filtrado = Boolean(filtros.q || filtros.estado || filtros.unidad || filtros.tipoContrato || filtros.departamento);
  return (
    <>
      <h1>Listado de Convocatorias</h1>
      <p>
        Busque la convocatoria de su interés y haga clic en «POSTULAR» mientras su plazo esté abierto. Antes, descargue
        y complete las <Link to="/declaraciones-juradas">Declaraciones Juradas</Link>.
      </p>
      <Form method="get" className="panel filtros" role="search" aria-label="Buscar convocatorias">
        <TextField name="q" type="search" label="Buscar por código, puesto o unidad orgánica" defaultValue={filtros.q} maxLength={100} required />
        <div className="grid-2">
          <SelectField name="estado" label="Estado" defaultValue={filtros.estado} options={FILTROS_ESTADO} placeholder="Todos" required />
          <SelectField name="unidad" label="Unidad orgánica" defaultValue={filtros.unidad} options={opciones.unidades.map((u) => ({ value: u, label: u }))} placeholder="Todas" required />
          <SelectField name="tipoContrato" label="Tipo de contrato" defaultValue={filtros.tipoContrato} options={TIPOS_CONTRATO} placeholder="Todos" required />
          <SelectField name="departamento" label="Departamento" defaultValue={filtros.departamento} options={opciones.departamentos} placeholder="Todos" required />
        </div>
        <div className="actions">
          <button type="submit">Buscar</button>
          {filtrado ? <Link to="/convocatorias">Quitar filtros</Link> : null}
        </div>
      </Form>
      <p role="status" className="resultados">
        {total === 0
          ? "No se encontraron convocatorias."
          : `${total === 1 ? "1 convocatoria" : `${total} convocatorias`}${pages > 1 ? ` · página ${page} de ${pages}` : ""}`}
      </p>
      <div className="convocatorias">
        {items.map((c) => (
          <ConvocatoriaCard key={c.id} c={c} mia={mias[c.id]} />
        ))}
      </div>
      <Paginacion page={page} pages={pages} search={search} label="Páginas del listado" />
      <p>
        <Link to={alerta} className="button button--secondary">
          Crear alerta con esta búsqueda
        </Link>{" "}
        Reciba un correo al día con las convocatorias nuevas que coincidan.
      </p>
      <p>
        Suscríbase a las convocatorias abiertas: <a href="/convocatorias/feed.atom">Atom</a> ·{" "}
        <a href="/convocatorias/feed.json">JSON Feed</a>
      </p>
    </>
  );
}
