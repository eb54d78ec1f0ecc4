import { normalizeSearch } from "./normalize";

/** The stages a new convocatoria starts with (issue 3), in order; "Postulación" is the window. */
export const ETAPAS_POR_DEFECTO = [
  "Publicación",
  "Postulación",
  "Evaluación curricular",
  "Resultados de la evaluación curricular",
  "Entrevista personal",
  "Resultado final",
  "Suscripción del contrato",
] as const;

/** The form shows this many rows; blank rows beyond the default stages are ignored. */
export const FILAS_CRONOGRAMA = 9;

export const esEtapa = (nombre: string, cual: "postulacion" | "publicacion" | "resultado final") =>
  normalizeSearch(nombre) === cual;

export type Etapa = { orden: number; nombre: string; inicio: Date; fin: Date; esPostulacion: boolean };
