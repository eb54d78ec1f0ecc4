import type { ListaPublicada } from "./resultados-publicados.server";

const fmt = new Intl.NumberFormat("es-PE", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const puntaje = (h: number | null | undefined) => (h == null ? "—" : fmt.format(h / 100));
const lima = new Intl.DateTimeFormat("es-PE", { timeZone: "America/Lima", day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/**
 * The published results lists of a convocatoria (its public page): the latest version of each,
 * final first, each with its heading (the caller gives the section and its h2). Data from
 * getResultadosPublicados (resultados-publicados.server.ts).
 */
export function ResultadosPublicados({ listas, headingLevel = 3 }: { listas: ListaPublicada[]; headingLevel?: 2 | 3 | 4 }) {
  if (!listas.length) return <p>Aún no se publican resultados.</p>;
  const Sub = `h${headingLevel}` as "h3";
  return (
    <div className="resultados">
      {listas.map((l) => (
        <div key={l.id} className="panel">
          <Sub>{l.titulo}</Sub>
          <p>
            Publicado el {lima.format(new Date(l.publishedAt))} (hora de Lima)
            {l.version > 1 ? ` · versión ${l.version}` : ""}
            {l.pdfUrl ? (
              <>
                {" · "}
                <a href={l.pdfUrl}>
                  Descargar PDF<span className="visually-hidden"> de {l.titulo}</span>
                </a>
              </>
            ) : null}
          </p>
          {l.version > 1 ? <p className="notice">{`Fe de erratas: esta versión ${l.version} corrige la anterior. Motivo: ${l.motivo ?? "—"}`}</p> : null}
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">N°</th>
                  <th scope="col">Postulante</th>
                  {l.alcance === "final" ? (
                    <>
                      {l.etapas.map((e) => (
                        <th scope="col" key={e}>
                          {e}
                        </th>
                      ))}
                      <th scope="col">Bonificación</th>
                      <th scope="col">Puntaje final</th>
                    </>
                  ) : (
                    <th scope="col">Puntaje</th>
                  )}
                  <th scope="col">Resultado</th>
                </tr>
              </thead>
              <tbody>
                {l.filas.map((f, i) => (
                  <tr key={i}>
                    <td data-label="N°">{l.alcance === "final" ? (f.orden ?? "—") : i + 1}</td>
                    <td data-label="Postulante">{f.identificacion}</td>
                    {l.alcance === "final" ? (
                      <>
                        {(f.etapas ?? []).map((h, j) => (
                          <td key={j} data-label={l.etapas[j]}>
                            {puntaje(h)}
                          </td>
                        ))}
                        <td data-label="Bonificación">{f.bonificacionPct ? `${f.bonificacionPct} %` : "—"}</td>
                        <td data-label="Puntaje final">{puntaje(f.puntaje)}</td>
                      </>
                    ) : (
                      <td data-label="Puntaje">{puntaje(f.puntaje)}</td>
                    )}
                    <td data-label="Resultado">
                      <strong>{f.resultado}</strong>
                      {f.etapaNoApto ? ` (${f.etapaNoApto})` : ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {l.anteriores.length ? (
            <details>
              <summary>{l.anteriores.length === 1 ? "Versión anterior (corregida)" : `Versiones anteriores (${l.anteriores.length}, corregidas)`}</summary>
              <ul>
                {l.anteriores.map((a) => (
                  <li key={a.version}>
                    {`Versión ${a.version}, publicada el ${lima.format(new Date(a.publishedAt))}: corregida por la versión ${a.corregidaPor.version}${a.corregidaPor.motivo ? ` (${a.corregidaPor.motivo})` : ""}.`}
                    {a.pdfUrl ? (
                      <>
                        {" "}
                        <a href={a.pdfUrl}>
                          Descargar PDF<span className="visually-hidden">{` de la versión ${a.version} de ${l.titulo}`}</span>
                        </a>
                      </>
                    ) : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** "Mis postulaciones": the applicant's result in the latest published list (estadoEvaluacion), with a link to their own results. */
export function EstadoEvaluacionTexto({ estado, postulacionId }: { estado: { titulo: string; resultado: string; puntaje: number | null } | undefined; postulacionId: string }) {
  if (!estado) return null;
  return (
    <>
      <br />
      <a href={`/mis-postulaciones/${postulacionId}/resultados`}>{estado.titulo}</a>: <strong>{estado.resultado}</strong>
      {estado.puntaje != null ? ` (${puntaje(estado.puntaje)})` : ""}
    </>
  );
}
