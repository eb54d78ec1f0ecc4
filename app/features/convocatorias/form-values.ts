import type { FilaConfiguracion } from "./documentos";
import { dateToLima } from "~/shared/lima";

type Detalle = {
  codigo: string;
  puesto: string;
  unidadOrganica: string;
  vacantes: number;
  remuneracion: string;
  tipoContrato: string;
  sede: string;
  ubigeo: string;
  lugar: string | null;
  requisitos: Record<string, string>;
  etapas: { nombre: string; inicio: string; fin: string }[];
  documentos: { tipo: string; requerido: boolean }[];
};

/** A stored convocatoria as the edit form's values (dates in Lima time). */
export function valoresDe(c: Detalle, filas: readonly FilaConfiguracion[]): Record<string, string> {
  const values: Record<string, string> = {
    codigo: c.codigo,
    puesto: c.puesto,
    unidadOrganica: c.unidadOrganica,
    vacantes: String(c.vacantes),
    remuneracion: c.remuneracion,
    tipoContrato: c.tipoContrato,
    sede: c.sede,
    ubigeo: c.ubigeo,
    lugar: c.lugar ?? "",
    ...c.requisitos,
  };
  c.etapas.forEach((e, i) => {
    const inicio = dateToLima(new Date(e.inicio));
    const fin = dateToLima(new Date(e.fin));
    values[`etapa-${i}-nombre`] = e.nombre;
    values[`etapa-${i}-inicioFecha`] = inicio.fecha;
    values[`etapa-${i}-inicioHora`] = inicio.hora;
    values[`etapa-${i}-finFecha`] = fin.fecha;
    values[`etapa-${i}-finHora`] = fin.hora;
  });
  for (const fila of filas) {
    const row = c.documentos.find((d) => d.tipo === fila.codes[0]);
    values[`doc-${fila.key}`] = !row ? "no_solicitado" : row.requerido ? "obligatorio" : "opcional";
  }
  return values;
}
