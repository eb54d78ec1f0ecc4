import { Link } from "react-router";
import type { EstadoPostulacion } from "~/features/postulacion/estado";
import { REQUISITOS_SUSTENTO } from "~/features/postulacion/evidencias";
import { formatBytes, formatSoles } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { AccionesConvocatoria, DiasRestantes, MiPostulacionBadge, Ventana } from "./convocatoria-card";
import { FASE_LABEL } from "./estado";
import type { ConvocatoriaDetalle } from "./get-convocatoria.server";
import { tipoContratoLabel } from "./tipo-contrato";

const REQUISITOS: readonly (readonly [keyof ConvocatoriaDetalle["requisitos"], string])[] = [...REQUISITOS_SUSTENTO, ["competencias", "Competencias"]];

/**
 * What the public sees of a convocatoria (its page at /convocatorias/:id, without the
 * results): the same component shows the HR office the preview before "Publicar", so the
 * preview is exactly what becomes public. `titulo`: the heading level of its title (h1 on its
 * own page, h2 inside the preview).
 */
export function ConvocatoriaDetalleView({ c, mia, titulo: Titulo = "h1" }: { c: ConvocatoriaDetalle; mia?: EstadoPostulacion; titulo?: "h1" | "h2" }) {
  return (
    <>
      <Titulo>
        {c.codigo}
        <span className="subtitulo">{c.puesto}</span>
      </Titulo>
      <p>
        <span className={`badge badge--${c.fase}`}>{FASE_LABEL[c.fase]}</span> <DiasRestantes dias={c.diasRestantes} />{" "}
        <MiPostulacionBadge mia={mia} />
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
      <AccionesConvocatoria c={c} detalle={false} mia={mia} />

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
              const extranjero = c.documentos.find((e) => e.tipo === "CARNET_EXTRANJERIA");
              const label = d.tipo === "DNI" && extranjero ? `${d.nombre} (peruanos) o ${extranjero.nombre} (extranjeros)` : d.nombre;
              return (
                <li key={d.tipo}>
                  {label} — {d.requerido ? "obligatorio" : "opcional"}, hasta {formatBytes(d.maxBytes)}
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

    </>
  );
}
