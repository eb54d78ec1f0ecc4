import { data, Link } from "react-router";
import { ConvocatoriaDetalleView } from "~/features/convocatorias/convocatoria-detalle";
import { FASE_LABEL } from "~/features/convocatorias/estado";
import { formatSoles } from "~/shared/format";
import { getConvocatoria } from "~/features/convocatorias/get-convocatoria.server";
import { cachingHeaders, conditionalPage } from "~/web/http-cache.server";
import { seoMeta } from "~/features/convocatorias/meta";
import { ResultadosPublicados } from "~/features/evaluacion/resultados-publicados";
import { getResultadosPublicados } from "~/features/evaluacion/resultados-publicados.server";
import { estadosDeMisPostulaciones } from "~/features/postulacion/list-mis-postulaciones.server";
import { getPrincipal } from "~/web/auth.server";
import type { Route } from "./+types/convocatorias.$id";

export const headers: Route.HeadersFunction = cachingHeaders;

/** Its anonymous page is kept by the public page cache (server/public-page-cache.ts). */
export const handle = { publicCache: true };

export const meta: Route.MetaFunction = ({ data: d }) =>
  d
    ? seoMeta({
        title: `${d.c.codigo} – ${d.c.puesto} · CAS Online · ${d.entityName}`,
        description: `${d.c.puesto} en ${d.c.unidadOrganica}: ${d.c.vacantes} vacante(s), ${formatSoles(d.c.remuneracion)} mensuales. ${FASE_LABEL[d.c.fase]}.`,
        canonical: d.canonical,
        type: "article",
      })
    : [{ title: "Convocatoria no encontrada · CAS Online" }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { db, clock, config } = context.services;
  const c = await getConvocatoria(db, params.id, clock.now());
  // A borrador is not public: to the visitor it does not exist.
  if (!c || c.estado === "borrador") throw new Response("La convocatoria no existe.", { status: 404 });
  const resultados = await getResultadosPublicados(db, c.id);
  // The signed-in applicant's own postulación replaces POSTULAR (such a page is never cached: conditionalPage).
  const principal = await getPrincipal(request, context);
  const mia = principal?.kind === "postulante" ? ((await estadosDeMisPostulaciones(db, principal.postulanteId, [c.id]))[c.id] ?? null) : null;
  const payload = { c, mia, entityName: (await context.services.entidad.current()).nombre, canonical: `${config.baseUrl}/convocatorias/${c.id}`, resultados };
  return data(payload, { headers: await conditionalPage(request, context, payload) });
}

export default function DetalleConvocatoria({ loaderData }: Route.ComponentProps) {
  const { c, mia } = loaderData;
  return (
    <>
      <p>
        <Link to="/convocatorias">← Listado de Convocatorias</Link>
      </p>
      <ConvocatoriaDetalleView c={c} mia={mia ?? undefined} />

      <section aria-labelledby="resultados">
        <h2 id="resultados">Resultados</h2>
        <ResultadosPublicados listas={loaderData.resultados} />
      </section>
    </>
  );
}
