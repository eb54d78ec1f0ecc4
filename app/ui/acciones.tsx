import { Form } from "react-router";
import { CsrfInput } from "./form";

/**
 * One action of a row as its own small POST form (no JavaScript needed): the CSRF token, the
 * `intent` and the row's hidden `campos`, and a button whose accessible name carries the row's
 * `nombre` ("Subir DNI").
 */
export function BotonAccion({ intent, campos, label, nombre }: { intent: string; campos: Record<string, string>; label: string; nombre: string }) {
  return (
    <Form method="post">
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(campos).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button type="submit" className="button--secondary">
        {label}
        <span className="visually-hidden"> {nombre}</span>
      </button>
    </Form>
  );
}

/**
 * "Subir" / "Bajar" of a row of an ordered list (the catalogue of document types, a type's
 * files in a postulación), only where the row has a neighbour that way. With `campos`, each is
 * its own small form (BotonAccion, intent "subir"/"bajar"); with `valor`, the buttons belong to
 * the form around them (a table inside a larger form) and send `subir=<valor>` or `bajar=<valor>`.
 */
export function SubirBajar(props: { subir: boolean; bajar: boolean; nombre: string } & ({ campos: Record<string, string> } | { valor: string })) {
  const { nombre } = props;
  const boton = (intent: "subir" | "bajar", label: string) =>
    "campos" in props ? (
      <BotonAccion intent={intent} campos={props.campos} label={label} nombre={nombre} />
    ) : (
      <button type="submit" name={intent} value={props.valor} className="button--secondary">
        {label}
        <span className="visually-hidden"> {nombre}</span>
      </button>
    );
  return (
    <>
      {props.subir ? boton("subir", "Subir") : null}
      {props.bajar ? boton("bajar", "Bajar") : null}
    </>
  );
}
