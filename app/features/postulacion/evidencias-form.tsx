import { Fragment } from "react";
import { Form } from "react-router";
import { cantidad } from "~/shared/format";
import { CsrfInput, ErrorSummary, SelectField, TextField, type FieldErrors } from "~/ui/form";
import { EVIDENCIAS_POR_REQUISITO, EVIDENCIA_FIELD, evidenciaField, type Requisito } from "./evidencias";
import type { PostulacionAbierta } from "./open-postulacion.server";

/** The intent of "Guardar sustento" on the Postulación page. */
export const GUARDAR_SUSTENTO = "guardar-sustento";

type Props = Pick<PostulacionAbierta, "convocatoria" | "postulacion" | "documentos" | "requisitos" | "evidencias"> & {
  editable: boolean;
  errors: FieldErrors;
  /** What was sent, after a refused "Guardar sustento". */
  values?: Record<string, string>;
};

/**
 * "Sustento de requisitos del perfil" (issue 17): for each requirement the perfil states, the
 * files of this postulación and their pages that prove it. A plain form (no JavaScript needed):
 * each requirement shows its saved rows and one empty row; a second file for a requirement is
 * given in that empty row, and after saving another appears. Emptying a row removes it.
 * Read-only once the postulación is registered or the window closed.
 */
export function EvidenciasForm({ convocatoria: c, postulacion, documentos, requisitos, evidencias, editable, errors, values }: Props) {
  if (!requisitos.length || !postulacion) return null;
  return (
    <section aria-labelledby="sustento-titulo">
      <h2 id="sustento-titulo">Sustento de requisitos del perfil</h2>
      {editable ? (
        <Editable convocatoriaId={c.id} version={postulacion.documentosVersion} {...{ documentos, requisitos, evidencias, errors, values }} />
      ) : (
        <Resumen requisitos={requisitos} evidencias={evidencias} />
      )}
    </section>
  );
}

function Editable({
  convocatoriaId, version, documentos, requisitos, evidencias, errors, values,
}: Pick<Props, "documentos" | "requisitos" | "evidencias" | "errors" | "values"> & { convocatoriaId: string; version: number }) {
  if (!documentos.length) {
    return <p>Opcional. Cuando haya cargado sus documentos, podrá indicar aquí en qué documento y páginas se acredita cada requisito del perfil.</p>;
  }
  // The rows sent after a refusal, by requirement: they are shown again, even beyond the saved ones.
  const enviadas = new Map<string, number>();
  for (const name of Object.keys(values ?? {})) {
    const m = EVIDENCIA_FIELD.exec(name);
    if (m) enviadas.set(m[1]!, Math.max(enviadas.get(m[1]!) ?? 0, Number(m[2]) + 1));
  }
  const opciones = documentos.map((d) => ({ value: d.id, label: `${d.tipoLabel}: ${d.filename} (${cantidad(d.pages, "página", "páginas")})` }));
  const labels: Record<string, string> = {};
  const filasDe = requisitos.map((r) => {
    const guardadas = evidencias.filter((v) => v.requisito === r.requisito);
    const n = Math.min(EVIDENCIAS_POR_REQUISITO, Math.max(guardadas.length + 1, enviadas.get(r.requisito) ?? 0));
    return Array.from({ length: n }, (_, i) => {
      const doc = evidenciaField(r.requisito, i, "documento");
      const pag = evidenciaField(r.requisito, i, "paginas");
      labels[doc] = `${r.label}, documento ${i + 1}`;
      labels[pag] = `${r.label}, páginas del documento ${i + 1}`;
      // After a refusal, exactly what was sent; else what is saved.
      const valor = (name: string, guardado: string | undefined) => (values ? (values[name] ?? "") : (guardado ?? ""));
      return { i, doc, pag, documentoId: valor(doc, guardadas[i]?.documentoId), paginas: valor(pag, guardadas[i]?.paginas) };
    });
  });
  return (
    <>
      <p>
        Opcional. Para cada requisito del perfil del puesto, elija el documento cargado que lo acredita y escriba sus
        páginas (por ejemplo: 1-3, 5; las páginas del documento, no las de la ficha). La Ficha de Postulación lista este
        sustento y el comité evaluador abre cada documento en esas páginas. Para indicar otro documento en un mismo
        requisito, guarde: aparecerá una fila nueva. Para quitar uno, elija «Ninguno» y borre sus páginas.
      </p>
      {/* Keyed by the version: after a save the fields show what was stored ("3,1-2" → "1-3"). */}
      <Form method="post" action={`/postulacion/${convocatoriaId}`} key={version} aria-labelledby="sustento-titulo">
        <ErrorSummary errors={errors} labels={labels} />
        <CsrfInput />
        <input type="hidden" name="intent" value={GUARDAR_SUSTENTO} />
        {requisitos.map((r, k) => (
          <fieldset key={r.requisito} className="panel sustento">
            <legend>{r.label}</legend>
            <details>
              <summary>Ver el requisito<span className="visually-hidden"> {r.label}</span></summary>
              <p className="texto-multilinea">{r.texto}</p>
            </details>
            {filasDe[k]!.map((f) => (
              <div key={f.i} className="sustento-fila">
                <SelectField
                  name={f.doc}
                  label={`Documento ${f.i + 1}`}
                  errors={errors}
                  defaultValue={f.documentoId}
                  placeholder="Ninguno"
                  options={opciones}
                />
                <TextField name={f.pag} label={`Páginas del documento ${f.i + 1}`} errors={errors} defaultValue={f.paginas} maxLength={200} autoComplete="off" />
              </div>
            ))}
          </fieldset>
        ))}
        <div className="actions">
          <button type="submit" className="button button--secondary">
            Guardar sustento
          </button>
        </div>
      </Form>
    </>
  );
}

function Resumen({ requisitos, evidencias }: Pick<Props, "requisitos" | "evidencias">) {
  if (!evidencias.length) return <p>No indicó el sustento de los requisitos del perfil.</p>;
  return (
    <dl className="summary">
      {requisitos.map((r) => {
        const suyas = evidencias.filter((v) => v.requisito === (r.requisito as Requisito));
        return (
          <Fragment key={r.requisito}>
            <dt>{r.label}</dt>
            <dd>
              {suyas.length ? (
                <ul className="sustento-lista">
                  {suyas.map((v) => (
                    <li key={v.documentoId}>
                      {`${v.tipoNombre}: ${v.filename}, páginas ${v.paginas}`}
                    </li>
                  ))}
                </ul>
              ) : (
                "No indicado"
              )}
            </dd>
          </Fragment>
        );
      })}
    </dl>
  );
}
