import { Form, Link } from "react-router";
import { CsrfInput, fieldId } from "~/ui/form";
import { ESTADO_ETAPA_LABEL } from "./etiquetas";
import type { EvaluacionPage } from "./get-evaluacion-page.server";

/**
 * The stages of a convocatoria's evaluation (the gestor's page): each with its weight, scores,
 * state and progress, "Cerrar etapa" and "Publicar resultados"; then who scores each stage.
 * `values` are those of a refused post, to point at the stage whose evaluadores were refused.
 */
export function EtapasEvaluacion({ convocatoriaId, etapas, personal, values: v }: Pick<EvaluacionPage, "etapas" | "personal"> & { convocatoriaId: string; values: Record<string, string> }) {
  return (
    <section aria-labelledby="etapas-titulo">
      <h2 id="etapas-titulo">Etapas</h2>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Etapa</th>
              <th scope="col">Peso</th>
              <th scope="col">Máximo</th>
              <th scope="col">Mínimo</th>
              <th scope="col">Estado</th>
              <th scope="col">Avance</th>
              <th scope="col">Acciones</th>
            </tr>
          </thead>
          <tbody>
            {etapas.map((e) => (
              <tr key={e.id}>
                <th scope="row">
                  <Link to={`/admin/evaluacion/etapas/${e.id}`}>{e.nombre}</Link>
                </th>
                <td data-label="Peso">{e.peso} %</td>
                <td data-label="Máximo">{e.maximo}</td>
                <td data-label="Mínimo">{e.minimo}</td>
                <td data-label="Estado">
                  <span className="badge">{ESTADO_ETAPA_LABEL[e.estado]}</span>
                </td>
                <td data-label="Avance">
                  {e.bloqueada ? (
                    "Espera el cierre de la etapa anterior"
                  ) : (
                    <>
                      {`${e.total - e.faltantes} de ${e.total} calificadas · ${e.aptos} aptos`}
                      {e.avance.length ? (
                        <ul className="avance">
                          {e.avance.map((a) => (
                            <li key={a.id}>
                              {a.nombre}: {a.calificadas} de {a.asignadas}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </>
                  )}
                </td>
                <td data-label="Acciones">
                  <div className="actions">
                    {e.estado === "abierta" && !e.cerrarMotivo ? (
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="etapaId" value={e.id} />
                        <button type="submit" name="intent" value="cerrar" className="button button--secondary">
                          Cerrar etapa<span className="visually-hidden"> {e.nombre}</span>
                        </button>
                      </Form>
                    ) : null}
                    {!e.publicarMotivo ? (
                      // A GET to the preview: nothing is published before "Confirmar publicación" there.
                      <Form method="get" action={`/admin/convocatorias/${convocatoriaId}/evaluacion/publicar`}>
                        <input type="hidden" name="alcance" value={e.id} />
                        <button type="submit" className="button">
                          {e.estado === "publicada" ? "Publicar fe de erratas" : "Publicar resultados"}
                          <span className="visually-hidden"> de {e.nombre}</span>
                        </button>
                      </Form>
                    ) : null}
                  </div>
                  {/* Controls whose action would be refused are not offered: the refusal's words say why. */}
                  {[...new Set([e.estado === "abierta" ? e.cerrarMotivo : null, e.publicarMotivo])].filter(Boolean).map((m) => (
                    <p className="hint" key={m}>
                      {m}
                    </p>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h3>Evaluadores por etapa</h3>
      {etapas.map((e) => (
        <Form method="post" key={e.id} className="panel">
          <CsrfInput />
          <input type="hidden" name="etapaId" value={e.id} />
          <fieldset id={v.intent === "asignar" && v.etapaId === e.id ? fieldId("evaluadores") : undefined}>
            <legend>{e.nombre}</legend>
            {personal.length ? (
              personal.map((m) => (
                <div className="field field--checkbox" key={m.id}>
                  <input type="checkbox" id={`ev-${e.id}-${m.id}`} name="evaluadores" value={m.id} defaultChecked={e.evaluadores.includes(m.id)} disabled={e.estado !== "abierta"} />
                  <label htmlFor={`ev-${e.id}-${m.id}`}>
                    {m.nombre} ({m.role === "gestor" ? "Gestor" : "Evaluador"})
                  </label>
                </div>
              ))
            ) : (
              <p>No hay personal con rol de evaluador. Créelo en Personal.</p>
            )}
          </fieldset>
          {e.estado === "abierta" ? (
            <button type="submit" name="intent" value="asignar" className="button button--secondary">
              Guardar evaluadores<span className="visually-hidden"> de {e.nombre}</span>
            </button>
          ) : null}
        </Form>
      ))}
    </section>
  );
}
