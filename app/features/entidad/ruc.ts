/**
 * The RUC (Registro Único de Contribuyentes, SUNAT): 11 digits, the last one a check digit
 * of the first ten (module 11 with the weights 5 4 3 2 7 6 5 4 3 2; 11 − remainder, where
 * 10 is written 0 and 11 is written 1).
 */
const WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/** The check digit of the first ten digits. */
export function rucCheckDigit(first10: string): number {
  const sum = [...first10].reduce((total, d, i) => total + Number(d) * WEIGHTS[i]!, 0);
  return (11 - (sum % 11)) % 10;
}

export function isValidRuc(ruc: string): boolean {
  return /^\d{11}$/.test(ruc) && rucCheckDigit(ruc.slice(0, 10)) === Number(ruc[10]);
}
