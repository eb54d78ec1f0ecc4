import type { Condicion, TipoBonificacion } from "./calculo";

/** Labels and limits shared by the evaluation pages and the server modules (no server code here). */

/** The sustento (document type) that claims each bonificación. */
export const SUSTENTO_BONIFICACION: Record<TipoBonificacion, string> = {
  ffaa: "LICENCIADO_FFAA",
  discapacidad: "DISCAPACIDAD_CONADIS",
  deportista: "DEPORTISTA_ALTO_NIVEL",
};

export const BONIFICACION_LABEL: Record<TipoBonificacion, string> = {
  ffaa: "Licenciado(a) de las Fuerzas Armadas (10 %)",
  discapacidad: "Persona con discapacidad (15 %)",
  deportista: "Deportista Calificado de Alto Nivel (20/16/12/8/4 % por nivel)",
};

export const CONDICION_LABEL: Record<Condicion, "GANADOR" | "ACCESITARIO" | "NO APTO"> = {
  ganador: "GANADOR",
  accesitario: "ACCESITARIO",
  no_apto: "NO APTO",
};

/** A stage's state as the evaluation pages show it. */
export const ESTADO_ETAPA_LABEL = { abierta: "Abierta", cerrada: "Cerrada", publicada: "Publicada" } as const;

export const OBSERVACION_MAX = 1000;

export const FILTROS_SITUACION = [
  { value: "", label: "Todas" },
  { value: "pendiente", label: "Por calificar" },
  { value: "apto", label: "Apto (en evaluación)" },
  { value: "no_apto", label: "No apto" },
  { value: "ganador", label: "Ganador" },
  { value: "accesitario", label: "Accesitario" },
] as const;

/** How the gestor's list of a convocatoria's postulaciones may be sorted. */
export const ORDENES_POSTULACIONES = [
  { value: "numero", label: "Número de postulación" },
  { value: "nombre", label: "Apellidos y nombres" },
  { value: "puntaje", label: "Puntaje (mayor primero)" },
] as const;
