import { data, Link } from "react-router";
import { AccionesConvocatoria, DiasRestantes, MiPostulacionBadge, Ventana } from "~/features/convocatorias/convocatoria-card";
import { tipoDocumento } from "~/features/convocatorias/documentos";
import { FASE_LABEL } from "~/features/convocatorias/estado";
import { tipoContratoLabel } from "~/features/convocatorias/tipo-contrato";
import { formatBytes, formatSoles } from "~/shared/format";
import { getConvocatoria } from "~/features/convocatorias/get-convocatoria.server";
import { cachingHeaders, conditionalPage } from "~/web/http-cache.server";
import { formatLima } from "~/shared/lima";
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
  const payload = { c, mia, entityName: config.entityName, canonical: `${config.baseUrl}/convocatorias/${c.id}`, resultados };
  return data(payload, { headers: await conditionalPage(request, context, payload) });
}

const REQUISITOS: [keyof Route.ComponentProps["loaderData"]["c"]["requisitos"], string][] = [
  ["formacionAcademica", "Formación académica"],
  ["experienciaGeneral", "Experiencia general"],
  ["experienciaEspecifica", "Experiencia específica"],
  ["cursosEspecializacion", "Cursos y especialización"],
  ["conocimientos", "Conocimientos"],
  ["competencias", "Competencias"],
];

export default function DetalleConvocatoria({ loaderData }: Route.ComponentProps) {
  const { c, mia } = loaderData;
  return (
    <>
      <p>
        <Link to="/convocatorias">← Listado de Convocatorias</Link>
      </p>
      <h1>
        {c.codigo}
        <span className="subtitulo">{c.puesto}</span>
      </h1>
      <p>
        <span className={`badge badge--${c.fase}`}>{FASE_LABEL[c.fase]}</span> <DiasRestantes dias={c.diasRestantes} />{" "}
        <MiPostulacionBadge mia={mia ?? undefined} />
      </p>
      {c.motivo && (c.estado === "cancelada" || c.estado === "desierta") ? (
        <div className="notice notice--warning">
          <p>
            {c.estado === "cancelada" ? "Convocatoria cancelada" : "Convocatoria declarada desierta"}
            {c.closedAt ? ` el ${formatLima(c.closedAt)}` : ""}. Motivo: {c.motivo}
          </p>
        </div>
      ) : null}
      <dl className="summary">
        <dt>Unidad orgánica</dt>
        <dd>{c.unidadOrganica}</dd>
        <dt>Vacantes</dt>
        <dd>{c.vacantes}</dd>
        <dt>Remuneración mensual</dt>
        <dd>{formatSoles(c.remuneracion)}</dd>
        <dt>Tipo de contrato</dt>
        <dd>{tipoContratoLabel(c.tipoContrato)}</dd>
        <dt>Lugar de prestación</dt>
        <dd>
          {c.sede}
          {c.lugar ? ` (${c.lugar})` : ""}
        </dd>
        <dt>Postulación</dt>
        <dd>
          <Ventana c={c} />
        </dd>
      </dl>
      <AccionesConvocatoria c={c} detalle={false} mia={mia ?? undefined} />

      <section aria-labelledby="perfil">
        <h2 id="perfil">Perfil del puesto</h2>
        {REQUISITOS.filter(([k]) => c.requisitos[k]).map(([k, label]) => (
          <div key={k}>
            <h3>{label}</h3>
            <p className="texto-multilinea">{c.requisitos[k]}</p>
          </div>
        ))}
      </section>

      <section aria-labelledby="cronograma">
        <h2 id="cronograma">Cronograma</h2>
        <div className="table-wrap">
          <table>
            <caption className="visually-hidden">Etapas del proceso, en hora de Lima</caption>
            <thead>
              <tr>
                <th scope="col">Etapa</th>
                <th scope="col">Inicio (hora de Lima)</th>
                <th scope="col">Fin (hora de Lima)</th>
              </tr>
            </thead>
            <tbody>
              {c.etapas.map((e) => (
                <tr key={e.orden}>
                  <th scope="row">{e.nombre}</th>
                  <td data-label="Inicio (hora de Lima)">
                    <time dateTime={e.inicio}>{formatLima(e.inicio)}</time>
                  </td>
                  <td data-label="Fin (hora de Lima)">
                    <time dateTime={e.fin}>{formatLima(e.fin)}</time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="documentos">
        <h2 id="documentos">Documentos a presentar (PDF)</h2>
        <ul>
          {c.documentos
            .filter((d) => d.tipo !== "CARNET_EXTRANJERIA")
            .map((d) => {
              const tipo = tipoDocumento(d.tipo);
              const label = d.tipo === "DNI" ? "DNI (peruanos) o Carnet de extranjería / otro (extranjeros)" : (tipo?.label ?? d.tipo);
              return (
                <li key={d.tipo}>
                  {label} — {d.requerido ? "obligatorio" : "opcional"}, hasta {formatBytes(tipo?.maxBytes ?? 0)}
                </li>
              );
            })}
        </ul>
      </section>

      <section aria-labelledby="bases">
        <h2 id="bases">Bases y formatos</h2>
        <ul>
          {c.bases ? (
            <li>
              <a href={`/convocatorias/${c.id}/bases`} download>
                Descargar las bases
              </a>{" "}
              (PDF, {formatBytes(c.bases.size)})
            </li>
          ) : null}
          <li>
            Declaraciones Juradas: <Link to="/declaraciones-juradas">Descargar</Link>
          </li>
        </ul>
      </section>

      <section aria-labelledby="resultados">
        <h2 id="resultados">Resultados</h2>
        <ResultadosPublicados listas={loaderData.resultados} />
      </section>
    </>
  );
}
