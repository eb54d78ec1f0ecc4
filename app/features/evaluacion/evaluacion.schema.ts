import { z } from "zod";
import { isUuid } from "~/shared/ids";
import { parsePuntaje } from "./numeros";

/** A decimal typed with a comma or a dot → hundredths. */
const decimal = (label: string) =>
  z
    .string({ error: `Ingrese ${label}.` })
    .trim()
    .min(1, { error: `Ingrese ${label}.` })
    .transform((v, ctx) => {
      const h = parsePuntaje(v);
      if (h == null) {
        ctx.addIssue({ code: "custom", message: `${label[0]!.toUpperCase()}${label.slice(1)} debe ser un número, por ejemplo 50 o 37,5.` });
        return z.NEVER;
      }
      return h;
    });

const uuid = z.uuid({ error: "Recargue la página e inténtelo de nuevo." });

/** "Guardar configuración": the stages' weights and scores, how bonificaciones add up, how lists name people. */
const configurarSchema = z
  .object({
    intent: z.literal("configurar"),
    peso_curricular: decimal("el peso"),
    maximo_curricular: decimal("el puntaje máximo"),
    minimo_curricular: decimal("el puntaje mínimo"),
    incluir_tecnica: z.literal("on").optional(),
    peso_tecnica: z.string().optional(),
    maximo_tecnica: z.string().optional(),
    minimo_tecnica: z.string().optional(),
    peso_entrevista: decimal("el peso"),
    maximo_entrevista: decimal("el puntaje máximo"),
    minimo_entrevista: decimal("el puntaje mínimo"),
    bonificacionesAcumulables: z.enum(["si", "no"], { error: "Elija cómo se aplican las bonificaciones." }),
    publicarComo: z.enum(["nombres", "documento_enmascarado"], { error: "Elija cómo se identifican los postulantes." }),
  })
  .transform((v, ctx) => {
    const tecnica = v.incluir_tecnica
      ? (["peso", "maximo", "minimo"] as const).map((k) => {
          const h = parsePuntaje(v[`${k}_tecnica`] ?? "");
          if (h == null) ctx.addIssue({ code: "custom", path: [`${k}_tecnica`], message: "Ingrese un número, por ejemplo 20 o 12,5." });
          return h ?? 0;
        })
      : null;
    return {
      intent: v.intent,
      etapas: [
        { tipo: "curricular" as const, peso: v.peso_curricular, maximo: v.maximo_curricular, minimo: v.minimo_curricular },
        ...(tecnica ? [{ tipo: "tecnica" as const, peso: tecnica[0]!, maximo: tecnica[1]!, minimo: tecnica[2]! }] : []),
        { tipo: "entrevista" as const, peso: v.peso_entrevista, maximo: v.maximo_entrevista, minimo: v.minimo_entrevista },
      ],
      bonificacionesAcumulables: v.bonificacionesAcumulables === "si",
      publicarComo: v.publicarComo,
    };
  });

/** "Guardar evaluadores" of a stage: the ticked staff (none ticked: nobody). Checked once the stage's id is. */
const asignarSchema = z
  .object({ intent: z.literal("asignar"), etapaId: uuid, evaluadores: z.array(z.string()) })
  .transform((v, ctx) => {
    if (v.evaluadores.every(isUuid)) return v;
    ctx.addIssue({ code: "custom", path: ["evaluadores"], message: "Recargue la página e inténtelo de nuevo." });
    return z.NEVER;
  });


/** "Validar" / "Rechazar" a claimed bonificación; a Deportista's level (1 to 5) when given. */
const bonificacionSchema = z
  .object({
    intent: z.literal("bonificacion"),
    postulacionId: uuid,
    tipo: z.enum(["ffaa", "discapacidad", "deportista"], { error: "Recargue la página e inténtelo de nuevo." }),
    decision: z.enum(["validar", "rechazar"], { error: "Elija validar o rechazar." }),
    nivel: z.string().optional(),
    observacion: z.string().max(1000, { error: "La observación admite hasta 1000 caracteres." }).optional(),
  })
  .transform((v) => {
    const nivel = v.nivel ? Number(v.nivel) : null;
    return {
      intent: v.intent,
      postulacionId: v.postulacionId,
      tipo: v.tipo,
      validada: v.decision === "validar",
      nivel: Number.isInteger(nivel) ? nivel : null,
      observacion: v.observacion ?? "",
    };
  });

/**
 * "Registrar desempate": the committee's order of the tied postulaciones (a field
 * `puesto_<postulación id>` each, distinct whole numbers) and how the tie was resolved.
 */
const desempateSchema = z
  .looseObject({
    intent: z.literal("desempate"),
    nota: z.string().trim().min(1, { error: "Describa cómo se resolvió el empate." }).max(2000, { error: "La nota admite hasta 2000 caracteres." }),
  })
  .transform((v, ctx) => {
    const puestos = Object.entries(v)
      .filter(([k]) => k.startsWith("puesto_"))
      .map(([k, puesto]) => ({ id: k.slice("puesto_".length), puesto: Number(puesto) }));
    if (new Set(puestos.map((p) => p.puesto)).size !== puestos.length || puestos.some((p) => !Number.isInteger(p.puesto))) {
      ctx.addIssue({ code: "custom", path: ["orden"], message: "Asigne un puesto distinto a cada postulación empatada." });
      return z.NEVER;
    }
    return { intent: v.intent, nota: v.nota, orden: puestos.sort((a, b) => a.puesto - b.puesto).map((p) => p.id) };
  });

export const ACCION_DESCONOCIDA = "Acción desconocida. Recargue la página e inténtelo de nuevo.";

/**
 * The forms of a convocatoria's evaluation page (the gestor's), one per button: `intent`
 * names the form; an unknown one is refused at `intent` with ACCION_DESCONOCIDA.
 */
export const evaluacionAccionSchema = z.discriminatedUnion(
  "intent",
  [
    configurarSchema,
    asignarSchema,
    z.object({ intent: z.literal("cerrar"), etapaId: uuid }),
    bonificacionSchema,
    desempateSchema,
  ],
  { error: ACCION_DESCONOCIDA },
);

export type EvaluacionAccion = z.output<typeof evaluacionAccionSchema>;

export const corregirSchema = z.object({
  postulacionId: uuid,
  evaluadorId: uuid,
  puntaje: z.string().trim().min(1, { error: "Ingrese el puntaje corregido." }),
  motivo: z.string().trim().min(1, { error: "Indique el motivo de la corrección." }),
});

/**
 * "Guardar" on a stage's page: a score and an observación per postulación (`puntaje_<id>`,
 * `observacion_<id>`) — every row of the page, or only the row whose button was pressed (`fila`).
 * The ids and numbers are checked by recordPuntaje.
 */
export const puntajesSchema = z.looseObject({ fila: z.string().optional() }).transform((v) => {
  const ids = Object.keys(v)
    .filter((k) => k.startsWith("puntaje_"))
    .map((k) => k.slice("puntaje_".length));
  return (v.fila ? [v.fila] : ids).map((id) => ({
    postulacionId: id,
    puntaje: String(v[`puntaje_${id}`] ?? ""),
    observacion: String(v[`observacion_${id}`] ?? ""),
  }));
});
