/** The contract types of a CAS convocatoria, as the form offers them and the pages name them. */
export const TIPOS_CONTRATO = [
  { value: "indeterminado", label: "Plazo indeterminado" },
  { value: "necesidad_transitoria", label: "Necesidad transitoria" },
  { value: "suplencia", label: "Suplencia" },
  { value: "confianza", label: "Confianza" },
] as const;

export type TipoContrato = (typeof TIPOS_CONTRATO)[number]["value"];

export function tipoContratoLabel(value: string): string {
  return TIPOS_CONTRATO.find((t) => t.value === value)?.label ?? value;
}
