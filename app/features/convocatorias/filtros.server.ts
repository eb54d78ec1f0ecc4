import { departamentos } from "~/features/ubigeo/ubigeo.server";
import { FILTROS_ESTADO, type FiltroEstado } from "./estado";
import type { FiltrosPublicos } from "./list-convocatorias.server";
import { tipoContratoLabel } from "./tipo-contrato";

/** The search of the public list without its page: what an alert keeps (features/alertas). */
export type Busqueda = Required<Omit<FiltrosPublicos, "page">>;

const CAMPOS = ["q", "estado", "unidad", "tipoContrato", "departamento"] as const;

const one = (v: string | null, max = 200) => (v ?? "").trim().slice(0, max);

/**
 * The public list's search as the address of /convocatorias carries it (q, estado, unidad,
 * tipoContrato, departamento), bounded and with an unknown estado dropped. One reading for
 * the list and for the alerts, so an alert matches what the list showed.
 */
export function busquedaDe(params: URLSearchParams | FormData): Busqueda {
  const get = (name: string) => {
    const v = params.get(name);
    return typeof v === "string" ? v : null;
  };
  const estado = one(get("estado"));
  return {
    q: one(get("q"), 100),
    estado: (FILTROS_ESTADO.some((f) => f.value === estado) ? estado : "") as FiltroEstado | "",
    unidad: one(get("unidad")),
    tipoContrato: one(get("tipoContrato"), 40),
    departamento: one(get("departamento"), 2),
  };
}

/** The list's filters of an address: the search and its page. */
export function filtrosDe(params: URLSearchParams): Busqueda & { page: number } {
  return { ...busquedaDe(params), page: Number(params.get("page")) || 1 };
}

/** The search as a query string (without "?"), only the fields set: /convocatorias?… shows it. */
export function busquedaQuery(b: Busqueda): string {
  const params = new URLSearchParams();
  for (const k of CAMPOS) if (b[k]) params.set(k, b[k]);
  return params.toString();
}

/** The search in words, for the page and the e-mails: "Palabras: «abogado» · Estado: En postulación". */
export function describirBusqueda(b: Busqueda): string[] {
  const parts: string[] = [];
  if (b.q) parts.push(`Palabras: «${b.q}»`);
  if (b.estado) parts.push(`Estado: ${FILTROS_ESTADO.find((f) => f.value === b.estado)?.label ?? b.estado}`);
  if (b.unidad) parts.push(`Unidad orgánica: ${b.unidad}`);
  if (b.tipoContrato) parts.push(`Tipo de contrato: ${tipoContratoLabel(b.tipoContrato)}`);
  if (b.departamento) parts.push(`Departamento: ${departamentos().find((d) => d.value === b.departamento)?.label ?? b.departamento}`);
  return parts.length ? parts : ["Todas las convocatorias publicadas"];
}
