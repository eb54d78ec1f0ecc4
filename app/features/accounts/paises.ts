import countries from "i18n-iso-countries";
import es from "i18n-iso-countries/langs/es.json";

countries.registerLocale(es);

/** Every country (ISO 3166-1 alpha-2) by its Spanish name; Perú first, the rest alphabetical. */
export const PAISES: readonly { value: string; label: string }[] = (() => {
  const names = countries.getNames("es", { select: "official" });
  const rest = Object.entries(names)
    .filter(([code]) => code !== "PE")
    .map(([value, label]) => ({ value, label }))
    .sort((a, b) => a.label.localeCompare(b.label, "es"));
  return [{ value: "PE", label: "Perú" }, ...rest];
})();

export const isPais = (code: string) => PAISES.some((p) => p.value === code);
export const paisLabel = (code: string) => PAISES.find((p) => p.value === code)?.label ?? code;

/** The nationality select: "Peruana" for Peru; foreigners pick their country. */
export const NACIONALIDADES = [{ value: "PE", label: "Peruana" }, ...PAISES.slice(1)];
