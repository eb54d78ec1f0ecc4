import common from "@zxcvbn-ts/language-common";

/**
 * The password rule (seed 2.1.1 and issue 2): at least 8 characters with letters and
 * numbers; any other character allowed; up to 128 accepted (≥ 64 required by the issue);
 * refused when in the shipped list of common passwords (zxcvbn-ts' 49,000 most common,
 * plus a few local favourites) or when it contains the document number or the birth date.
 */
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const LOCAL_COMMON = ["peru1234", "peru12345", "contraseña1", "contrasena1", "clave123", "migraciones1", "cas12345", "lima1234"];
const COMMON = new Set<string>([
  ...(common.dictionary["passwords-common"] as string[]).map((p) => p.toLowerCase()),
  ...LOCAL_COMMON,
]);

export type PasswordContext = { numeroDocumento?: string | null; fechaNacimiento?: string | null };

/** The Spanish message for the first rule the password breaks, or null when it is acceptable. */
export function passwordProblem(password: string, context: PasswordContext = {}): string | null {
  if (password.length < PASSWORD_MIN) return `La contraseña debe tener al menos ${PASSWORD_MIN} caracteres.`;
  if (password.length > PASSWORD_MAX) return `La contraseña debe tener como máximo ${PASSWORD_MAX} caracteres.`;
  if (!/\p{L}/u.test(password) || !/\p{N}/u.test(password)) return "La contraseña debe tener letras y números.";
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return "Esa contraseña es muy común y fácil de adivinar. Elija otra.";
  const doc = context.numeroDocumento?.toLowerCase();
  if (doc && doc.length >= 4 && lower.includes(doc)) return "La contraseña no debe contener su número de documento.";
  if (context.fechaNacimiento) {
    const [y, m, d] = context.fechaNacimiento.split("-");
    if (y && m && d) {
      const forms = [`${d}${m}${y}`, `${y}${m}${d}`, `${d}/${m}/${y}`, `${d}-${m}-${y}`, `${y}-${m}-${d}`, `${d}${m}${y.slice(2)}`];
      if (forms.some((f) => password.includes(f))) return "La contraseña no debe contener su fecha de nacimiento.";
    }
  }
  return null;
}
