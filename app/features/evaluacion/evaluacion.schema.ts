import { z } from "zod";
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

export const configurarSchema = z
  .object({
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
      etapas: [
        { tipo: "curricular" as const, peso: v.peso_curricular, maximo: v.maximo_curricular, minimo: v.minimo_curricular },
        ...(tecnica ? [{ tipo: "tecnica" as const, peso: tecnica[0]!, maximo: tecnica[1]!, minimo: tecnica[2]! }] : []),
        { tipo: "entrevista" as const, peso: v.peso_entrevista, maximo: v.maximo_entrevista, minimo: v.minimo_entrevista },
      ],
      bonificacionesAcumulables: v.bonificacionesAcumulables === "si",
      publicarComo: v.publicarComo,
    };
  });

const uuid = z.uuid({ error: "Recargue la página e inténtelo de nuevo." });

export const etapaSchema = z.object({ etapaId: uuid });
export const asignarSchema = z.object({ etapaId: uuid });
export const publicarSchema = z.object({
  alcance: z.union([z.literal("final"), uuid]),
  motivo: z.string().trim().max(1000, { error: "El motivo admite hasta 1000 caracteres." }).optional(),
});
export const bonificacionSchema = z.object({
  postulacionId: uuid,
  tipo: z.enum(["ffaa", "discapacidad", "deportista"], { error: "Recargue la página e inténtelo de nuevo." }),
  decision: z.enum(["validar", "rechazar"], { error: "Elija validar o rechazar." }),
  nivel: z.string().optional(),
  observacion: z.string().max(1000, { error: "La observación admite hasta 1000 caracteres." }).optional(),
});
export const desempateSchema = z.object({
  nota: z.string().trim().min(1, { error: "Describa cómo se resolvió el empate." }).max(2000, { error: "La nota admite hasta 2000 caracteres." }),
});
export const corregirSchema = z.object({
  postulacionId: uuid,
  evaluadorId: uuid,
  puntaje: z.string().trim().min(1, { error: "Ingrese el puntaje corregido." }),
  motivo: z.string().trim().min(1, { error: "Indique el motivo de la corrección." }),
});
