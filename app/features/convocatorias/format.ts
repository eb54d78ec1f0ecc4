const soles = new Intl.NumberFormat("es-PE", { style: "currency", currency: "PEN", minimumFractionDigits: 2 });

/** "S/ 4,500.00" */
export function formatSoles(amount: string | number): string {
  return soles.format(Number(amount));
}

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

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;
}
