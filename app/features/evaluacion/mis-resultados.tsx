import { formatLima } from "~/shared/lima";
import type { MiResultadoEtapa, MiResultadoFinal } from "./get-mis-resultados.server";
import { formatPuntaje } from "./numeros";

/** A later version of a list says so, with its reason (fe de erratas). */
function Version({ version, motivo, publishedAt }: { version: number; motivo: string | null; publishedAt: string }) {
  return (
    <p className="hint">
      {`Publicado el ${formatLima(publishedAt)} (hora de Lima)`}
      {version > 1 ? ` · versión ${version}, corregida${motivo ? `: ${motivo}` : ""}` : ""}
    </p>
  );
}

/**
 * The applicant's own results (getMisResultados): each published stage with their score, the
 * stage's minimum and the result, then the final score with each bonificación and its law.
 */
export function MisResultados({ etapas, final }: { etapas: MiResultadoEtapa[]; final: MiResultadoFinal | null }) {
  if (!etapas.length && !final) {
    return <p>Todavía no se publican resultados de esta convocatoria. Le avisaremos por correo cuando se publiquen.</p>;
  }
  return (
    <>
      {etapas.map((e) => (
        <section key={e.etapa} className="panel" aria-labelledby={`etapa-${e.etapa}`}>
          <h2 id={`etapa-${e.etapa}`}>{e.etapa}</h2>
          <dl className="summary">
            <dt>Su puntaje</dt>
            <dd>{e.puntaje == null ? "—" : `${formatPuntaje(e.puntaje)} de ${formatPuntaje(e.maximo)}`}</dd>
            <dt>Puntaje mínimo para pasar</dt>
            <dd>{formatPuntaje(e.minimo)}</dd>
            <dt>Resultado</dt>
            <dd>
              <strong>{e.resultado}</strong>
            </dd>
          </dl>
          <Version version={e.version} motivo={e.motivo} publishedAt={e.publishedAt} />
        </section>
      ))}
      {final ? (
        <section className="panel" aria-labelledby="resultado-final">
          <h2 id="resultado-final">Resultado final</h2>
          <dl className="summary">
            <dt>Puntaje de las etapas</dt>
            <dd>{formatPuntaje(final.base)}</dd>
            <dt>Bonificaciones</dt>
            <dd>
              {final.bonificaciones.length ? (
                <ul>
                  {final.bonificaciones.map((b) => (
                    <li key={b.nombre}>
                      {`${b.nombre}: ${b.porcentaje} % (${b.ley})`}
                    </li>
                  ))}
                </ul>
              ) : (
                "Ninguna"
              )}
              {final.bonificacionPct ? <p>{`Aplicado: ${final.bonificacionPct} % del puntaje de las etapas = ${formatPuntaje(final.bonificacion)} puntos.`}</p> : null}
            </dd>
            <dt>Puntaje final</dt>
            <dd>{formatPuntaje(final.puntaje)}</dd>
            {final.orden != null ? (
              <>
                <dt>Orden de mérito</dt>
                <dd>{final.orden}</dd>
              </>
            ) : null}
            <dt>Resultado</dt>
            <dd>
              <strong>{final.resultado}</strong>
            </dd>
          </dl>
          <Version version={final.version} motivo={final.motivo} publishedAt={final.publishedAt} />
        </section>
      ) : null}
    </>
  );
}
