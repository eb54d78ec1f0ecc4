import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * Peru's 1,895 districts (INEI codes) from distritos.csv, shipped with the app
 * (© 2021 Jesus M. Castagnetto, MIT; see LICENSE beside it). Codes: 2 digits the
 * departamento, 4 the provincia, 6 the distrito.
 */
export type Option = { value: string; label: string };
type District = { code: string; departamento: string; provincia: string; distrito: string };

const CSV_PATH = path.resolve(process.env.CAS_UBIGEO_CSV ?? "app/features/ubigeo/distritos.csv");

let districts: District[] | undefined;
function all(): District[] {
  if (!districts) {
    const lines = readFileSync(CSV_PATH, "utf8").trim().split(/\r?\n/).slice(1);
    const rows = lines.map((line) => {
      const [inei = "", reniec = "", departamento = "", provincia = "", distrito = ""] = line.split(",");
      return { inei, reniec, departamento, provincia, distrito };
    });
    // One recent district (San Antonio, Mariscal Nieto, Moquegua) has no INEI code in the
    // source ("NA"): it takes its province's INEI prefix and its RENIEC district digits.
    const provinciaPrefix = new Map(
      rows.filter((r) => /^\d{6}$/.test(r.inei)).map((r) => [`${r.departamento}|${r.provincia}`, r.inei.slice(0, 4)]),
    );
    districts = rows.flatMap((r) => {
      const code = /^\d{6}$/.test(r.inei)
        ? r.inei
        : `${provinciaPrefix.get(`${r.departamento}|${r.provincia}`) ?? ""}${r.reniec.slice(4)}`;
      return /^\d{6}$/.test(code) ? [{ code, departamento: r.departamento, provincia: r.provincia, distrito: r.distrito }] : [];
    });
  }
  return districts;
}

const unique = (items: Option[]) => [...new Map(items.map((o) => [o.value, o])).values()];
const byLabel = (a: Option, b: Option) => a.label.localeCompare(b.label, "es");

export function departamentos(): Option[] {
  return unique(all().map((d) => ({ value: d.code.slice(0, 2), label: d.departamento }))).sort(byLabel);
}

export function provincias(departamento: string): Option[] {
  return unique(
    all()
      .filter((d) => d.code.startsWith(departamento) && departamento.length === 2)
      .map((d) => ({ value: d.code.slice(0, 4), label: d.provincia })),
  ).sort(byLabel);
}

export function distritos(provincia: string): Option[] {
  return all()
    .filter((d) => provincia.length === 4 && d.code.startsWith(provincia))
    .map((d) => ({ value: d.code, label: d.distrito }))
    .sort(byLabel);
}

export function isDistrito(code: string): boolean {
  return /^\d{6}$/.test(code) && all().some((d) => d.code === code);
}

/** The names of a district's code (departamento, provincia, distrito), or null. */
export function ubigeoNombres(code: string | null | undefined): Omit<District, "code"> | null {
  const d = code ? all().find((x) => x.code === code) : undefined;
  return d ? { departamento: d.departamento, provincia: d.provincia, distrito: d.distrito } : null;
}

/** "DISTRITO, PROVINCIA, DEPARTAMENTO" for a code, or null. */
export function describeUbigeo(code: string | null | undefined): string | null {
  const d = ubigeoNombres(code);
  return d ? `${d.distrito}, ${d.provincia}, ${d.departamento}` : null;
}

/**
 * Every district as "150122 MIRAFLORES (LIMA, LIMA)", sorted by name: suggestions for a field
 * where the code or the name is typed (a <datalist>, which needs no JavaScript); the server
 * keeps the leading 6 digits (ubigeoDeTexto).
 */
export function distritoSugerencias(): string[] {
  return all()
    .map((d) => `${d.code} ${d.distrito} (${d.provincia}, ${d.departamento})`)
    .sort((a, b) => a.slice(7).localeCompare(b.slice(7), "es"));
}

/** The three selects' options for a (possibly partial) choice; used to render without JavaScript. */
export function ubigeoChoices(selected: { departamento?: string; provincia?: string }) {
  return {
    departamentos: departamentos(),
    provincias: selected.departamento ? provincias(selected.departamento) : [],
    distritos: selected.provincia ? distritos(selected.provincia) : [],
  };
}
