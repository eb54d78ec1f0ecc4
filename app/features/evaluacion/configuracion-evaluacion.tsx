import { Fragment } from "react";
import { Form } from "react-router";
import { CsrfInput, fieldId, type FieldErrors } from "~/ui/form";
import type { EvaluacionPage } from "./get-evaluacion-page.server";

/**
 * "Configuración" of a convocatoria's evaluation: each stage's weight, maximum and minimum (the
 * evaluación técnica optional), how bonificaciones add up and how published lists name people.
 * Once a stage is closed only what was configured is shown, with the reason. After a refused "Guardar configuración" it shows what was typed.
 */
export function ConfiguracionEvaluacion({
  etapas, config, configMotivo, errors, values: v,
}: Pick<EvaluacionPage, "etapas" | "config" | "configMotivo"> & { errors: FieldErrors; values: Record<string, string> }) {
  const posted = v.intent === "configurar";
  const tecnica = etapas.find((e) => e.tipo === "tecnica");
  const valor = (tipo: string, campo: "peso" | "maximo" | "minimo") =>
    posted ? (v[`${campo}_${tipo}`] ?? "") : (etapas.find((e) => e.tipo === tipo)?.[campo] ?? "");
  return (
    <section aria-labelledby="config-titulo">
      <h2 id="config-titulo">Configuración</h2>
      {configMotivo ? (
        <>
          {/* Locked: what was configured, and why it cannot change (no form whose save would be refused). */}
          <p className="notice">{configMotivo}</p>
          <dl className="summary">
            {etapas.map((e) => (
              <Fragment key={e.id}>
                <dt>{e.nombre}</dt>
                <dd>
                  Peso {e.peso} % · máximo {e.maximo} · mínimo aprobatorio {e.minimo}
                </dd>
              </Fragment>
            ))}
            <dt>Bonificaciones</dt>
            <dd>{config.bonificacionesAcumulables ? "Se suman" : "Solo cuenta la mayor"}</dd>
            <dt>En las listas publicadas</dt>
            <dd>{config.publicarComo === "nombres" ? "Apellidos y nombres" : "Número de documento parcialmente oculto (****1234)"}</dd>
          </dl>
        </>
      ) : (
      <Form method="post" className="panel">
        <CsrfInput />
        {(["curricular", "tecnica", "entrevista"] as const).map((tipo) => (
          <fieldset key={tipo}>
            <legend>{tipo === "curricular" ? "Evaluación curricular" : tipo === "tecnica" ? "Evaluación técnica (opcional)" : "Entrevista personal"}</legend>
            {tipo === "tecnica" ? (
              <div className="field field--checkbox">
                <input type="checkbox" id={fieldId("incluir_tecnica")} name="incluir_tecnica" defaultChecked={posted ? v.incluir_tecnica === "on" : !!tecnica} />
                <label htmlFor={fieldId("incluir_tecnica")}>Incluir la evaluación técnica</label>
              </div>
            ) : null}
            <div className="grid-3">
              {(["peso", "maximo", "minimo"] as const).map((campo) => {
                const name = `${campo}_${tipo}`;
                return (
                  <div className={`field${errors?.[name] ? " field--error" : ""}`} key={campo}>
                    <label htmlFor={fieldId(name)}>{campo === "peso" ? "Peso (%)" : campo === "maximo" ? "Puntaje máximo" : "Puntaje mínimo aprobatorio"}</label>
                    {errors?.[name] ? <p className="field-error" id={`${fieldId(name)}-error`}>{errors[name]}</p> : null}
                    <input id={fieldId(name)} name={name} inputMode="decimal" defaultValue={valor(tipo, campo)} aria-invalid={errors?.[name] ? true : undefined} aria-describedby={errors?.[name] ? `${fieldId(name)}-error` : undefined} />
                  </div>
                );
              })}
            </div>
          </fieldset>
        ))}
        <fieldset className="field">
          <legend>Bonificaciones</legend>
          <label className="radio">
            <input type="radio" name="bonificacionesAcumulables" value="si" defaultChecked={config.bonificacionesAcumulables} /> Se suman (por defecto)
          </label>
          <label className="radio">
            <input type="radio" name="bonificacionesAcumulables" value="no" defaultChecked={!config.bonificacionesAcumulables} /> Solo cuenta la mayor
          </label>
        </fieldset>
        <fieldset className="field">
          <legend>En las listas publicadas, identificar a los postulantes por</legend>
          <label className="radio">
            <input type="radio" name="publicarComo" value="nombres" defaultChecked={config.publicarComo === "nombres"} /> Apellidos y nombres
          </label>
          <label className="radio">
            <input type="radio" name="publicarComo" value="documento_enmascarado" defaultChecked={config.publicarComo === "documento_enmascarado"} /> Número de documento parcialmente oculto (****1234)
          </label>
        </fieldset>
        <button type="submit" name="intent" value="configurar" className="button">
          Guardar configuración
        </button>
      </Form>
      )}
    </section>
  );
}
