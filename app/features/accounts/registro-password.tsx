import { useState, type ReactNode } from "react";

/** The rule as the hint under "Contraseña" (password-policy.server.ts is the judge). */
export const PASSWORD_HINT =
  "Al menos 8 caracteres, con letras y números; puede usar cualquier otro carácter. No use su número de documento, su fecha de nacimiento ni una contraseña común.";

const LEVELS = ["Muy débil", "Débil", "Aceptable", "Buena", "Fuerte"] as const;

/**
 * A rough strength estimate for the live hint, computed in the browser without any word
 * list (the server refuses common passwords): length and variety count, repeats and
 * runs of digits count against.
 */
export function passwordStrength(password: string, numeroDocumento = ""): number {
  if (password.length < 8 || !/\p{L}/u.test(password) || !/\p{N}/u.test(password)) return 0;
  if (numeroDocumento && password.toLowerCase().includes(numeroDocumento.toLowerCase())) return 0;
  let score = 1;
  if (password.length >= 12) score++;
  if (password.length >= 16) score++;
  if (/[^\p{L}\p{N}]/u.test(password)) score++;
  if (/\p{Lu}/u.test(password) && /\p{Ll}/u.test(password)) score++;
  if (/(.)\1\1/u.test(password) || /(012|123|234|345|456|567|678|789|abc|qwe)/i.test(password)) score--;
  return Math.max(1, Math.min(4, score));
}

/** Wraps the password field; with JavaScript, shows the estimate as it is typed (announced politely). */
export function PasswordStrength({ numeroDocumento, hydrated, children }: { numeroDocumento: string; hydrated: boolean; children: ReactNode }) {
  const [password, setPassword] = useState("");
  return (
    <div
      onChange={(e) => {
        const target = e.target as HTMLInputElement;
        if (target.name === "password") setPassword(target.value);
      }}
    >
      {children}
      {hydrated ? (
        <p className="strength" aria-live="polite" id="password-strength">
          {password ? `Seguridad de la contraseña: ${LEVELS[passwordStrength(password, numeroDocumento)]}` : ""}
        </p>
      ) : null}
    </div>
  );
}
