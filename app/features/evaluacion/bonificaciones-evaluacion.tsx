import { Form, Link } from "react-router";
import { CsrfInput } from "~/ui/form";
import { BONIFICACION_LABEL } from "./etiquetas";
import type { EvaluacionPage } from "./get-evaluacion-page.server";

/** The claimed bonificaciones of a convocatoria (each with its sustento uploaded): "Validar" or "Rechazar" each. */
export function BonificacionesEvaluacion({ bonos, bonosMotivo }: Pick<EvaluacionPage, "bonos" | "bonosMotivo">) {
  return (
    <section aria-labelledby="bonos-titulo">
      <h2 id="bonos-titulo">Bonificaciones</h2>
      <p>Se aplican al puntaje final de quienes aprueban la última etapa, solo si el sustento fue validado.</p>
      {bonosMotivo && bonos.length ? <p className="notice">{bonosMotivo}</p> : null}
      {bonos.length ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Postulación</th>
                <th scope="col">Bonificación</th>
                <th scope="col">Estado</th>
                {bonosMotivo ? null : <th scope="col">Decisión</th>}
              </tr>
            </thead>
            <tbody>
              {bonos.map((b) => {
                const key = `${b.postulacionId}-${b.tipo}`;
                return (
                  <tr key={key}>
                    <td data-label="Postulación">
                      <Link to={`/admin/postulaciones/${b.postulacionId}`}>{b.numero}</Link> · {b.nombre}
                    </td>
                    <td data-label="Bonificación">{BONIFICACION_LABEL[b.tipo]}</td>
                    <td data-label="Estado">
                      {b.estado}
                      {b.nivel && b.tipo === "deportista" ? ` (nivel ${b.nivel})` : ""}
                      {b.observacion ? ` · ${b.observacion}` : ""}
                    </td>
                    {bonosMotivo ? null : (
                      <td data-label="Decisión">
                        <Form method="post" className="inline-form">
                          <CsrfInput />
                          <input type="hidden" name="postulacionId" value={b.postulacionId} />
                          <input type="hidden" name="tipo" value={b.tipo} />
                          {b.tipo === "deportista" ? (
                            <>
                              <label htmlFor={`nivel-${key}`}>Nivel</label>
                              <select id={`nivel-${key}`} name="nivel" defaultValue={b.nivel ?? ""}>
                                <option value="">Elija</option>
                                {[1, 2, 3, 4, 5].map((n) => (
                                  <option key={n} value={n}>
                                    {n} ({[20, 16, 12, 8, 4][n - 1]} %)
                                  </option>
                                ))}
                              </select>
                            </>
                          ) : null}
                          <label htmlFor={`obs-${key}`}>Observación</label>
                          <input id={`obs-${key}`} name="observacion" maxLength={1000} defaultValue={b.observacion} />
                          <input type="hidden" name="intent" value="bonificacion" />
                          <button type="submit" name="decision" value="validar" className="button button--secondary">
                            Validar
                          </button>
                          <button type="submit" name="decision" value="rechazar" className="button button--secondary">
                            Rechazar
                          </button>
                        </Form>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p>Ninguna postulación presentó sustentos de bonificación.</p>
      )}
    </section>
  );
}
