import type { ReactNode } from "react";
import { TAMANO_MAXIMO_MB, TAMANO_MINIMO_MB } from "~/features/convocatorias/documentos";
import { CheckboxField, TextField, type FieldErrors } from "~/ui/form";

/**
 * The fields of a document type ("Agregar" and "Editar"): Nombre, Tamaño máximo (MB) and
 * "Obligatorio por defecto" — or, for a type whose default is fixed, `fijo` in its place.
 */
export function TipoDocumentoCampos({ errors, nombre, tamanoMb, obligatorio, nombreHint, fijo }: {
  errors: FieldErrors;
  nombre?: string;
  tamanoMb: string;
  obligatorio: boolean;
  nombreHint: string;
  fijo?: ReactNode;
}) {
  return (
    <>
      <TextField name="nombre" label="Nombre" required errors={errors} defaultValue={nombre} maxLength={120} hint={nombreHint} />
      <TextField
        name="tamanoMb"
        label="Tamaño máximo (MB)"
        required
        inputMode="numeric"
        errors={errors}
        defaultValue={tamanoMb}
        maxLength={3}
        hint={`Un número entero de ${TAMANO_MINIMO_MB} a ${TAMANO_MAXIMO_MB}. Solo se aceptan archivos PDF.`}
      />
      {fijo ?? (
        <CheckboxField
          name="obligatorio"
          label="Obligatorio por defecto"
          errors={errors}
          defaultChecked={obligatorio}
          hint="Al crear una convocatoria, el tipo aparece como «Obligatorio»; si no, como «Opcional»."
        />
      )}
    </>
  );
}
