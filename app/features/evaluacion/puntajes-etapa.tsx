import { Form, Link } from "react-router";
import { CsrfInput, fieldId, type FieldErrors } from "~/ui/form";
import { cantidad } from "~/shared/format";
import { OBSERVACION_MAX } from "./etiquetas";
import { SustentoEvaluacion } from "./sustento-evaluacion";
import type { EtapaPage } from "./get-etapa-page.server";

/**
 * The scores of a stage's page: an assigned evaluador types a score and an observación per
 * postulación ("Guardar" a row, or the whole page) while the stage is open; the HR office sees
 * every evaluador's score, the average and the result. After a refused save, what was typed.
 */
export function PuntajesEtapa({
  etapa, asignado, gestiona, evaluadores, filas, pagina, errors, values: v,
}: Pick<EtapaPage, "etapa" | "asignado" | "gestiona" | "evaluadores" | "filas" | "pagina"> & { errors: FieldErrors; values: Record<string, string> }) {
  const puedeCalificar = asignado && etapa.estado === "abierta";
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="pagina" value={pagina} />
      <input type="hidden" name="intent" value="guardar" />
      {/* Enter in a field submits the first button of the form: make it "save all", not the first row's. */}
      {puedeCalificar ? (
        <button type="submit" className="visually-hidden" tabIndex={-1} aria-hidden="true">
          Guardar todos
        </button>
      ) : null}
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Postulación</th>
              <th scope="col">Postulante</th>
              <th scope="col">Sustento de requisitos</th>
              {asignado ? (
                <>
                  <th scope="col">Mi puntaje (0 a {etapa.maximo})</th>
                  <th scope="col">Observación</th>
                </>
              ) : null}
              {gestiona ? (
                <>
                  {evaluadores.map((e) => (
                    <th scope="col" key={e.id}>
                      {e.nombre}
                    </th>
                  ))}
                  <th scope="col">Promedio</th>
                  <th scope="col">Resultado</th>
                </>
              ) : null}
              {puedeCalificar ? <th scope="col">Guardar</th> : null}
            </tr>
          </thead>
          <tbody>
            {filas.map((f) => {
              const pn = `puntaje_${f.id}`;
              const on = `observacion_${f.id}`;
              return (
                <tr key={f.id}>
                  <td data-label="Postulación">
                    <Link to={`/admin/postulaciones/${f.id}`}>{f.numero}</Link>
                  </td>
                  <td data-label="Postulante">{f.nombre}</td>
                  <td data-label="Sustento de requisitos">
                    {f.sustento.length ? (
                      <details>
                        <summary>
                          {cantidad(new Set(f.sustento.map((v) => v.requisito)).size, "requisito", "requisitos")}
                          <span className="visually-hidden"> con sustento, postulación {f.numero}</span>
                        </summary>
                        <SustentoEvaluacion evidencias={f.sustento} base={`/admin/postulaciones/${f.id}/archivo`} numero={f.numero} />
                      </details>
                    ) : (
                      "No indicado"
                    )}
                  </td>
                  {asignado ? (
                    <>
                      <td data-label={`Mi puntaje (0 a ${etapa.maximo})`} className={errors?.[pn] ? "field--error" : undefined}>
                        <label htmlFor={fieldId(pn)} className="visually-hidden">
                          Puntaje de {f.numero}
                        </label>
                        {errors?.[pn] ? (
                          <p className="field-error" id={`${fieldId(pn)}-error`}>
                            {errors[pn]}
                          </p>
                        ) : null}
                        <input
                          // A new saved value (after "Guardar", with JavaScript) shows as stored ("44" → "44.00");
                          // a refused save keeps what was typed (nothing was stored: the key does not change).
                          key={`${pn}:${f.miPuntaje ?? ""}`}
                          id={fieldId(pn)}
                          name={pn}
                          className="puntaje-input"
                          inputMode="decimal"
                          autoComplete="off"
                          defaultValue={v[pn] ?? f.miPuntaje}
                          readOnly={!puedeCalificar}
                          aria-invalid={errors?.[pn] ? true : undefined}
                          aria-describedby={errors?.[pn] ? `${fieldId(pn)}-error` : undefined}
                        />
                      </td>
                      <td data-label="Observación" className={errors?.[on] ? "field--error" : undefined}>
                        <label htmlFor={fieldId(on)} className="visually-hidden">
                          Observación de {f.numero}
                        </label>
                        {errors?.[on] ? (
                          <p className="field-error" id={`${fieldId(on)}-error`}>
                            {errors[on]}
                          </p>
                        ) : null}
                        <textarea
                          key={`${on}:${f.miObservacion ?? ""}`}
                          id={fieldId(on)}
                          name={on}
                          className="observacion-input"
                          rows={3}
                          maxLength={OBSERVACION_MAX}
                          defaultValue={v[on] ?? f.miObservacion}
                          readOnly={!puedeCalificar}
                          aria-invalid={errors?.[on] ? true : undefined}
                          aria-describedby={errors?.[on] ? `${fieldId(on)}-error` : undefined}
                        />
                      </td>
                    </>
                  ) : null}
                  {gestiona ? (
                    <>
                      {f.puntajes.map((p, i) => (
                        <td key={p.id} data-label={evaluadores[i]?.nombre}>
                          {p.puntaje}
                        </td>
                      ))}
                      <td data-label="Promedio">{f.promedio}</td>
                      <td data-label="Resultado">{f.resultado ?? "—"}</td>
                    </>
                  ) : null}
                  {puedeCalificar ? (
                    <td>
                      <button type="submit" name="fila" value={f.id} className="button button--secondary">
                        Guardar<span className="visually-hidden"> {f.numero}</span>
                      </button>
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {puedeCalificar ? (
        <div className="actions">
          <button type="submit" className="button">
            Guardar todos los puntajes de esta página
          </button>
        </div>
      ) : null}
    </Form>
  );
}
