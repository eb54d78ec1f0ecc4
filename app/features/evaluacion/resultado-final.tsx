import { Form, Link } from "react-router";
import { CsrfInput, fieldId, type FieldErrors } from "~/ui/form";
import type { EvaluacionPage } from "./get-evaluacion-page.server";

/**
 * "Resultado final" (once every stage is closed): the formula, each tie at the limit of the
 * vacantes with the committee's "Registrar desempate", the merit order and "Publicar resultado
 * final" (with a motivo when it was published before).
 */
export function ResultadoFinal({
  convocatoriaId, final, publicaciones, errors, values: v,
}: Pick<EvaluacionPage, "final" | "publicaciones"> & { convocatoriaId: string; errors: FieldErrors; values: Record<string, string> }) {
  return (
    <section aria-labelledby="final-titulo">
      <h2 id="final-titulo">Resultado final</h2>
      {!final ? (
        <p>El resultado final se calcula cuando todas las etapas están cerradas.</p>
      ) : (
        <>
          <p>
            Puntaje final = Σ (puntaje de la etapa × peso ÷ máximo de la etapa) + bonificaciones. {final.aptos} aprobaron todas las
            etapas; {final.noAptos} no aptos.
          </p>
          {final.empates.map((t) => (
            <div className="notice notice--warning" key={t.puntaje}>
              <h3>Empate en el límite de las vacantes ({t.puntaje})</h3>
              {t.resuelto ? <p>Resuelto: {t.resuelto}</p> : <p>El comité debe resolverlo antes de publicar el resultado final.</p>}
              <Form method="post">
                <CsrfInput />
                <fieldset id={fieldId("orden")}>
                  <legend>Orden elegido por el comité</legend>
                  {t.postulaciones.map((p) => (
                    <div className="field" key={p.id}>
                      <label htmlFor={`puesto-${p.id}`}>
                        Puesto de {p.numero} · {p.nombre}
                      </label>
                      <select id={`puesto-${p.id}`} name={`puesto_${p.id}`} defaultValue={String(t.postulaciones.indexOf(p) + 1)}>
                        {t.postulaciones.map((_, i) => (
                          <option key={i} value={i + 1}>
                            {i + 1}
                          </option>
                        ))}
                      </select>
                    </div>
                  ))}
                </fieldset>
                <div className={`field${errors?.nota ? " field--error" : ""}`}>
                  <label htmlFor={fieldId("nota")}>Cómo se resolvió (criterio de las bases, acta)</label>
                  {errors?.nota ? <p className="field-error">{errors.nota}</p> : null}
                  <textarea id={fieldId("nota")} name="nota" rows={3} maxLength={2000} defaultValue={v.intent === "desempate" ? v.nota : (t.resuelto ?? "")} />
                </div>
                <button type="submit" name="intent" value="desempate" className="button button--secondary">
                  Registrar desempate
                </button>
              </Form>
            </div>
          ))}
          <div className="table-wrap">
            <table>
              <caption>Orden de mérito (vista previa)</caption>
              <thead>
                <tr>
                  <th scope="col">Orden</th>
                  <th scope="col">Postulación</th>
                  <th scope="col">Postulante</th>
                  <th scope="col">Puntaje</th>
                  <th scope="col">Bonificación</th>
                  <th scope="col">Final</th>
                  <th scope="col">Condición</th>
                </tr>
              </thead>
              <tbody>
                {final.filas.map((f) => (
                  <tr key={f.id}>
                    <td data-label="Orden">{f.orden}</td>
                    <td data-label="Postulación">
                      <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
                    </td>
                    <td data-label="Postulante">{f.nombre}</td>
                    <td data-label="Puntaje">{f.base}</td>
                    <td data-label="Bonificación">{f.bonificacion}</td>
                    <td data-label="Final">{f.final}</td>
                    <td data-label="Condición">
                      {f.condicion}
                      {f.empate ? <span className="badge">Empate</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {final.publicarMotivo ? (
            <p className="notice">{final.publicarMotivo}</p>
          ) : (
            // A GET to the preview: nothing is published before "Confirmar publicación" there.
            <Form method="get" action={`/admin/convocatorias/${convocatoriaId}/evaluacion/publicar`} className="panel">
              <input type="hidden" name="alcance" value="final" />
              <button type="submit" className="button">
                {publicaciones.some((p) => p.alcance === "final") ? "Publicar fe de erratas del resultado final" : "Publicar resultado final"}
              </button>
            </Form>
          )}
        </>
      )}
    </section>
  );
}

/** Every publication of the convocatoria's results, each version with its PDF. */
export function PublicacionesEvaluacion({ publicaciones }: Pick<EvaluacionPage, "publicaciones">) {
  return (
    <section aria-labelledby="pub-titulo">
      <h2 id="pub-titulo">Publicaciones</h2>
      {publicaciones.length ? (
        <ul>
          {publicaciones.map((p) => (
            <li key={p.id}>
              {p.titulo} · versión {p.version} · {p.publishedAt}
              {p.pdfUrl ? (
                <>
                  {" "}
                  · <a href={p.pdfUrl}>PDF</a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>Aún no se publicó ningún resultado.</p>
      )}
    </section>
  );
}
