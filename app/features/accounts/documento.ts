/**
 * Identity documents and their formats (issue 2, step 1 of "Crear nuevo usuario").
 * Shared by the browser (instant hints) and the server (the rule).
 */
export const TIPOS_DOCUMENTO = [
  { value: "DNI", label: "DNI" },
  { value: "CE", label: "Carnet de extranjería" },
  { value: "PASAPORTE", label: "Pasaporte" },
  { value: "PTP", label: "PTP/CPP" },
] as const;

export type TipoDocumento = (typeof TIPOS_DOCUMENTO)[number]["value"];

export const tipoDocumentoLabel = (t: string) => TIPOS_DOCUMENTO.find((d) => d.value === t)?.label ?? t;

/** Peruvians identify with their DNI; foreigners with one of the other three. */
export function tiposFor(nacionalidad: string): TipoDocumento[] {
  return nacionalidad === "PE" ? ["DNI"] : ["CE", "PASAPORTE", "PTP"];
}

/**
 * Formats, and why:
 * - DNI: exactly 8 digits (RENIEC's number, without the check digit).
 * - Carnet de extranjería: 9 digits, as Migraciones issues it today; older cards
 *   had fewer, so 8 to 12 digits are accepted (leading zeros kept).
 * - Pasaporte: issued by every country in its own format; ICAO 9303 fixes at most
 *   9 characters in the machine-readable zone, and letters and digits only. We accept 6–12
 *   letters or digits to allow older national formats.
 * - PTP/CPP (Permiso Temporal de Permanencia / Carné de Permiso Temporal de Permanencia):
 *   9 digits by Migraciones; 8 to 12 accepted, as for the carnet.
 */
const FORMATS: Record<TipoDocumento, { re: RegExp; message: string }> = {
  DNI: { re: /^\d{8}$/, message: "El DNI debe tener exactamente 8 dígitos." },
  CE: { re: /^\d{8,12}$/, message: "El carnet de extranjería debe tener entre 8 y 12 dígitos." },
  PASAPORTE: { re: /^[A-Z0-9]{6,12}$/, message: "El pasaporte debe tener entre 6 y 12 letras o números, sin espacios ni guiones." },
  PTP: { re: /^\d{8,12}$/, message: "El PTP/CPP debe tener entre 8 y 12 dígitos." },
};

/** Normalised number (trimmed, without spaces or hyphens, upper case). */
export function normalizeNumero(numero: string): string {
  return numero.replace(/[\s-]/g, "").toUpperCase();
}

/** Spanish message, or null when the number fits its type's format. */
export function numeroProblem(tipo: TipoDocumento, numero: string): string | null {
  const f = FORMATS[tipo];
  return f.re.test(normalizeNumero(numero)) ? null : f.message;
}
