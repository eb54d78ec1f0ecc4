import { Form } from "react-router";
import { CsrfInput, fieldId, type FieldErrors } from "~/ui/form";
import type { EtapaPage } from "./get-etapa-page.server";

/** "Corregir un puntaje" (the HR office): one evaluador's score of a postulación on this page, with the reason. */
export function CorregirPuntaje({
  evaluadores, filas, pagina, errors, values: v,
}: Pick<EtapaPage, "evaluadores" | "filas" | "pagina"> & { errors: FieldErrors; values: Record<string, string> }) {
  return (
    <section aria-labelledby="corregir-titulo" className="panel">
      <h2 id="corregir-titulo">Corregir un puntaje</h2>
      <p>La corrección queda registrada con su motivo. Si la lista ya fue publicada, se publica de nuevo y se avisa a los postulantes.</p>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="pagina" value={pagina} />
        <div className="field">
          <label htmlFor={fieldId("postulacionId")}>Postulación</label>
          <select id={fieldId("postulacionId")} name="postulacionId" defaultValue={v.postulacionId}>
            {filas.map((f) => (
              <option key={f.id} value={f.id}>
                {f.numero} · {f.nombre}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={fieldId("evaluadorId")}>Evaluador(a)</label>
          <select id={fieldId("evaluadorId")} name="evaluadorId" defaultValue={v.evaluadorId}>
            {evaluadores.map((e) => (
              <option key={e.id} value={e.id}>
                {e.nombre}
              </option>
            ))}
          </select>
        </div>
        <div className={`field${errors?.puntaje ? " field--error" : ""}`}>
          <label htmlFor={fieldId("puntaje")}>Puntaje corregido</label>
          {errors?.puntaje ? <p className="field-error">{errors.puntaje}</p> : null}
          <input id={fieldId("puntaje")} name="puntaje" inputMode="decimal" defaultValue={v.puntaje} />
        </div>
        <div className={`field${errors?.motivo ? " field--error" : ""}`}>
          <label htmlFor={fieldId("motivo")}>Motivo</label>
          {errors?.motivo ? <p className="field-error">{errors.motivo}</p> : null}
          <textarea id={fieldId("motivo")} name="motivo" rows={2} maxLength={1000} defaultValue={v.motivo} />
        </div>
        <button type="submit" name="intent" value="corregir" className="button">
          Corregir puntaje
        </button>
      </Form>
    </section>
  );
}
