import { useRef, useState } from "react";
import { SelectField, useFieldState, type FieldErrors } from "~/ui/form";

type Option = { value: string; label: string };
export type UbigeoOptions = { departamentos: Option[]; provincias: Option[]; distritos: Option[] };

/** Name and value of the secondary submit button that fills the next select without JavaScript. */
export const ACTUALIZAR_UBIGEO = { name: "_accion", value: "actualizar-ubigeo" } as const;

async function fetchOptions(query: string, signal: AbortSignal): Promise<Option[]> {
  const response = await fetch(`/ubigeo?${query}`, { signal, headers: { Accept: "application/json" } });
  return response.ok ? ((await response.json()) as Option[]) : [];
}

/**
 * Departamento / Provincia / Distrito, cascading. Without JavaScript the server renders
 * the options for what was chosen, and the "Actualizar provincias y distritos" button
 * posts the form back to fill the next select; with JavaScript each choice fetches the
 * next list from /ubigeo and the button goes away.
 */
export function UbigeoFields({
  options, values, errors, hydrated,
}: {
  options: UbigeoOptions;
  values: Record<string, string>;
  errors: FieldErrors;
  hydrated: boolean;
}) {
  const [provincias, setProvincias] = useState(options.provincias);
  const [distritos, setDistritos] = useState(options.distritos);
  const pending = useRef<AbortController | null>(null);
  // A level chosen before the page's script ran loads the next one as its onChange would.
  const [departamento, setDepartamento] = useFieldState("departamento", values.departamento ?? "", (value) => chooseDepartamento(value));
  const [provincia, setProvincia] = useFieldState("provincia", values.provincia ?? "", (value) => chooseProvincia(value));
  const [distrito, setDistrito] = useFieldState("distrito", values.distrito ?? "");

  // A newer choice cancels the request of the previous one, so a slow answer cannot overwrite it.
  function load(query: string, then: (o: Option[]) => void) {
    pending.current?.abort();
    const c = new AbortController();
    pending.current = c;
    fetchOptions(query, c.signal).then(then, () => {});
  }

  function chooseDepartamento(value: string) {
    setDepartamento(value);
    setProvincia("");
    setDistrito("");
    setProvincias([]);
    setDistritos([]);
    if (value) load(`departamento=${encodeURIComponent(value)}`, setProvincias);
  }

  function chooseProvincia(value: string) {
    setProvincia(value);
    setDistrito("");
    setDistritos([]);
    if (value) load(`provincia=${encodeURIComponent(value)}`, setDistritos);
  }

  return (
    <fieldset className="ubigeo">
      <legend>Ubigeo del domicilio</legend>
      <SelectField
        name="departamento"
        label="Departamento"
        required
        errors={errors}
        options={options.departamentos}
        placeholder="Seleccione"
        defaultValue={departamento}
        onChange={(e) => chooseDepartamento(e.target.value)}
      />
      <SelectField
        // Remounted when its list changes, so the shown choice follows the state.
        key={`prov-${provincias.map((o) => o.value).join()}`}
        name="provincia"
        label="Provincia"
        required
        errors={errors}
        options={provincias}
        placeholder={provincias.length ? "Seleccione" : "Primero elija el departamento"}
        defaultValue={provincia}
        onChange={(e) => chooseProvincia(e.target.value)}
      />
      <SelectField
        key={`dist-${distritos.map((o) => o.value).join()}`}
        name="distrito"
        label="Distrito"
        required
        errors={errors}
        options={distritos}
        placeholder={distritos.length ? "Seleccione" : "Primero elija la provincia"}
        defaultValue={distrito}
        onChange={(e) => setDistrito(e.target.value)}
      />
      {hydrated ? null : (
        <button type="submit" name={ACTUALIZAR_UBIGEO.name} value={ACTUALIZAR_UBIGEO.value} className="button button--secondary">
          Actualizar provincias y distritos
        </button>
      )}
    </fieldset>
  );
}
