import { Form } from "react-router";
import { CsrfInput, ErrorSummary, SelectField, TextField, fieldId, type FieldErrors } from "~/ui/form";
import { CAMPO_LABELS } from "./convocatoria.schema";
import { ETAPAS_POR_DEFECTO, FILAS_CRONOGRAMA } from "./cronograma";
import type { FilaConfiguracion } from "./documentos";
import { TIPOS_CONTRATO } from "./tipo-contrato";

/** The form's values as strings (from the stored row, or echoed after an error). */
export type ConvocatoriaFormValues = Record<string, string>;

const EXIGENCIAS = [
  { value: "obligatorio", label: "Obligatorio" },
  { value: "opcional", label: "Opcional" },
  { value: "no_solicitado", label: "No se solicita" },
];

function TextArea({ name, label, values, errors, hint }: { name: string; label: string; values: ConvocatoriaFormValues; errors: FieldErrors; hint?: string }) {
  const error = errors?.[name];
  return (
    <div className={`field${error ? " field--error" : ""}`}>
      <label htmlFor={fieldId(name)}>
        {label} <span className="optional">(opcional)</span>
      </label>
      {hint ? (
        <p className="hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${fieldId(name)}-error`}>
          {error}
        </p>
      ) : null}
      <textarea
        id={fieldId(name)}
        name={name}
        rows={4}
        maxLength={4000}
        defaultValue={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? `${fieldId(name)}-hint` : "", error ? `${fieldId(name)}-error` : ""].filter(Boolean).join(" ") || undefined}
      />
    </div>
  );
}

function DateTime({ name, label, values, errors, type }: { name: string; label: string; values: ConvocatoriaFormValues; errors: FieldErrors; type: "date" | "time" }) {
  const error = errors?.[name];
  return (
    <>
      <label htmlFor={fieldId(name)} className="visually-hidden">
        {label}
      </label>
      <input
        id={fieldId(name)}
        name={name}
        type={type}
        defaultValue={values[name] ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${fieldId(name)}-error` : undefined}
      />
    </>
  );
}

/**
 * Create / edit a convocatoria: one multipart form (the bases file travels with it) that
 * works without JavaScript. The CSRF field comes first so the server can check it once the
 * fields are parsed.
 */
export function ConvocatoriaForm({
  values, filas, errors, submitLabel, ventanaBloqueada, documentosBloqueados, basesActuales, distritos,
}: {
  values: ConvocatoriaFormValues;
  /** The document rows: the catalogue's types this convocatoria may ask for (filasDelFormulario). */
  filas: readonly FilaConfiguracion[];
  /** Suggestions for the district field (distritoSugerencias()). */
  distritos: readonly string[];
  errors: FieldErrors;
  submitLabel: string;
  /** Published: the Postulación row is changed only through "Ampliar plazo". */
  ventanaBloqueada?: boolean;
  documentosBloqueados?: boolean;
  basesActuales?: string | null;
}) {
  const etapaErrors = Object.entries(errors ?? {}).filter(([k]) => k.startsWith("etapa-") || k === "cronograma");
  return (
    <Form method="post" encType="multipart/form-data" noValidate>
      <CsrfInput />
      <input type="hidden" name="intent" value="guardar" />
      <ErrorSummary errors={errors} labels={CAMPO_LABELS} />
      <fieldset className="panel">
        <legend>Datos de la convocatoria</legend>
        <TextField name="codigo" label="Código" required errors={errors} defaultValue={values.codigo} maxLength={80} hint="Por ejemplo: CAS N° 001-2026-MIGRACIONES" />
        <TextField name="puesto" label="Puesto" required errors={errors} defaultValue={values.puesto} maxLength={200} />
        <TextField name="unidadOrganica" label="Unidad orgánica" required errors={errors} defaultValue={values.unidadOrganica} maxLength={200} />
        <div className="grid-2">
          <TextField name="vacantes" label="Número de vacantes" required errors={errors} defaultValue={values.vacantes} inputMode="numeric" maxLength={3} />
          <TextField name="remuneracion" label="Remuneración mensual (S/)" required errors={errors} defaultValue={values.remuneracion} inputMode="text" maxLength={12} hint="En soles, por ejemplo 4500.00" />
        </div>
        <SelectField name="tipoContrato" label="Tipo de contrato" required errors={errors} defaultValue={values.tipoContrato} options={TIPOS_CONTRATO} placeholder="Seleccione" />
        <TextField name="sede" label="Lugar de prestación: sede" required errors={errors} defaultValue={values.sede} maxLength={200} hint="Por ejemplo: Sede central – Av. España 734, Breña" />
        <TextField
          name="ubigeo"
          label="Lugar de prestación: ubigeo del distrito"
          required
          errors={errors}
          defaultValue={values.ubigeo}
          maxLength={120}
          list="distritos-peru"
          hint={`Escriba el nombre del distrito y elíjalo de la lista, o su código INEI de 6 dígitos (por ejemplo 150101).${values.lugar ? ` Actual: ${values.lugar}` : ""}`}
        >
          <datalist id="distritos-peru">
            {distritos.map((d) => (
              <option key={d} value={d} />
            ))}
          </datalist>
        </TextField>
      </fieldset>

      <fieldset className="panel">
        <legend>Perfil del puesto (requisitos)</legend>
        <TextArea name="formacionAcademica" label="Formación académica" values={values} errors={errors} hint="Un requisito por línea." />
        <TextArea name="experienciaGeneral" label="Experiencia general" values={values} errors={errors} />
        <TextArea name="experienciaEspecifica" label="Experiencia específica" values={values} errors={errors} />
        <TextArea name="cursosEspecializacion" label="Cursos y especialización" values={values} errors={errors} />
        <TextArea name="conocimientos" label="Conocimientos" values={values} errors={errors} />
        <TextArea name="competencias" label="Competencias" values={values} errors={errors} />
      </fieldset>

      <fieldset className="panel">
        <legend>Bases (PDF)</legend>
        <div className={`field${errors?.bases ? " field--error" : ""}`}>
          <label htmlFor={fieldId("bases")}>
            {basesActuales ? "Reemplazar las bases" : "Bases de la convocatoria"} <span className="optional">(PDF, hasta 20 MB)</span>
          </label>
          <p className="hint" id={`${fieldId("bases")}-hint`}>
            {basesActuales ? `Bases actuales: ${basesActuales}. ` : "Necesarias para publicar. "}
            Si el formulario muestra errores, vuelva a elegir el archivo.
          </p>
          {errors?.bases ? (
            <p className="field-error" id={`${fieldId("bases")}-error`}>
              {errors.bases}
            </p>
          ) : null}
          <input id={fieldId("bases")} name="bases" type="file" accept="application/pdf,.pdf" aria-describedby={`${fieldId("bases")}-hint${errors?.bases ? ` ${fieldId("bases")}-error` : ""}`} />
        </div>
      </fieldset>

      <fieldset className="panel" id={fieldId("cronograma")}>
        <legend>Cronograma (hora de Lima)</legend>
        <p className="hint">
          Las etapas van en orden y sin superponerse. La etapa «Postulación» es el plazo para postular y debe estar entre la
          Publicación y el Resultado final. Deje en blanco las filas que no use.
          {ventanaBloqueada ? " La convocatoria ya está publicada: el plazo de postulación se cambia con «Ampliar plazo de postulación»." : ""}
        </p>
        {etapaErrors.length ? (
          <ul className="field-error">
            {etapaErrors.map(([k, m]) => (
              <li key={k}>{m}</li>
            ))}
          </ul>
        ) : null}
        <div className="table-wrap">
          <table className="cronograma-form">
            <thead>
              <tr>
                <th scope="col">Etapa</th>
                <th scope="col">Inicio (fecha y hora)</th>
                <th scope="col">Fin (fecha y hora)</th>
              </tr>
            </thead>
            <tbody>
              {Array.from({ length: FILAS_CRONOGRAMA }, (_, i) => {
                const nombre = values[`etapa-${i}-nombre`] ?? "";
                const label = nombre || `Etapa ${i + 1}`;
                return (
                  <tr key={i}>
                    <td data-label="Etapa">
                      <label htmlFor={fieldId(`etapa-${i}-nombre`)} className="visually-hidden">
                        Nombre de la etapa {i + 1}
                      </label>
                      <input id={fieldId(`etapa-${i}-nombre`)} name={`etapa-${i}-nombre`} type="text" maxLength={120} defaultValue={nombre} aria-invalid={errors?.[`etapa-${i}-nombre`] ? true : undefined} />
                    </td>
                    <td data-label="Inicio (fecha y hora)">
                      <DateTime name={`etapa-${i}-inicioFecha`} label={`${label}: fecha de inicio`} type="date" values={values} errors={errors} />{" "}
                      <DateTime name={`etapa-${i}-inicioHora`} label={`${label}: hora de inicio`} type="time" values={values} errors={errors} />
                    </td>
                    <td data-label="Fin (fecha y hora)">
                      <DateTime name={`etapa-${i}-finFecha`} label={`${label}: fecha de fin`} type="date" values={values} errors={errors} />{" "}
                      <DateTime name={`etapa-${i}-finHora`} label={`${label}: hora de fin`} type="time" values={values} errors={errors} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </fieldset>

      <fieldset className="panel" id={fieldId("documentos")}>
        <legend>Documentos que se solicitan al postular</legend>
        <p className="hint">
          Los sustentos de bonificación son opcionales: el postulante los carga si le corresponde.
          {documentosBloqueados ? " Ya hay postulaciones: los documentos solicitados no pueden cambiar." : ""}
        </p>
        {errors?.documentos ? <p className="field-error">{errors.documentos}</p> : null}
        {filas.map((fila) => (
          <SelectField key={fila.key} name={`doc-${fila.key}`} label={fila.label} required errors={errors} options={EXIGENCIAS} defaultValue={values[`doc-${fila.key}`] ?? fila.defaultExigencia} />
        ))}
      </fieldset>

      <div className="actions">
        <button type="submit">{submitLabel}</button>
      </div>
    </Form>
  );
}

/** The empty form: the seven default stages named, the catalogue's defaults chosen. */
export function valoresIniciales(filas: readonly FilaConfiguracion[]): ConvocatoriaFormValues {
  const values: ConvocatoriaFormValues = {};
  ETAPAS_POR_DEFECTO.forEach((nombre, i) => {
    values[`etapa-${i}-nombre`] = nombre;
  });
  for (const fila of filas) values[`doc-${fila.key}`] = fila.defaultExigencia;
  return values;
}
