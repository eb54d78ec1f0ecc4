import { Form } from "react-router";
import { cantidad, formatBytes } from "~/shared/format";
import { CsrfInput, ErrorSummary, SelectField, type FieldErrors } from "~/ui/form";
import type { TipoOption } from "./carga-form";

export type Guardado = { id: string; tipo: string; tipoNombre: string; filename: string; pages: number; size: number };

/** The intent of "Usar un documento guardado" on the Postulación page. */
export const USAR_GUARDADO = "usar-guardado";

/**
 * "Usar un documento guardado" (issue 17), beside CARGAR: a file of Mis documentos added to a
 * type of this postulación without sending it again. A plain POST (works without JavaScript);
 * the files are listed by their type's name, so those of the chosen type are found together.
 */
export function UsarGuardadoForm({
  convocatoriaId, tipos, guardados, errors, values,
}: {
  convocatoriaId: string;
  tipos: TipoOption[];
  guardados: Guardado[];
  errors: FieldErrors;
  values?: Record<string, string>;
}) {
  if (!guardados.length) return null;
  const ordenados = [...guardados].sort((a, b) => a.tipoNombre.localeCompare(b.tipoNombre, "es") || a.filename.localeCompare(b.filename, "es"));
  return (
    <Form method="post" action={`/postulacion/${convocatoriaId}`} className="panel" aria-labelledby="usar-guardado-titulo">
      <h3 id="usar-guardado-titulo">Usar un documento guardado</h3>
      <p className="hint">
        Sus documentos de «Mis documentos» se pueden usar de nuevo sin volver a cargarlos. Luego marque su casilla
        «CONFIRMAR DOCUMENTO CARGADO».
      </p>
      <ErrorSummary errors={errors} labels={{ tipoGuardado: "Usar como", archivoId: "Documento guardado" }} />
      <CsrfInput />
      <input type="hidden" name="intent" value={USAR_GUARDADO} />
      <SelectField
        name="tipoGuardado"
        label="Usar como"
        required
        errors={errors}
        defaultValue={values?.tipoGuardado}
        placeholder="Seleccione…"
        options={tipos.map((t) => ({ value: t.code, label: `${t.label} ${t.requerido ? "(obligatorio)" : "(opcional)"}` }))}
      />
      <SelectField
        name="archivoId"
        label="Documento guardado"
        required
        errors={errors}
        defaultValue={values?.archivoId}
        placeholder="Seleccione…"
        options={ordenados.map((g) => ({
          value: g.id,
          label: `${g.tipoNombre}: ${g.filename} (${cantidad(g.pages, "página", "páginas")}, ${formatBytes(g.size)})`,
        }))}
      />
      <div className="actions">
        <button type="submit" className="button">
          Usar un documento guardado
        </button>
      </div>
    </Form>
  );
}
