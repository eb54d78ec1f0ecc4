import { describe, expect, it } from "vitest";
import { ACCION_DESCONOCIDA, evaluacionAccionSchema, puntajesSchema } from "./evaluacion.schema";

const ETAPA = "0b8c8e1e-8a3c-4a4e-9b0a-1c2d3e4f5a6b";
const OTRA = "1c9d9f2f-9b4d-4b5f-8c1b-2d3e4f5a6b7c";
const issues = (input: unknown) => {
  const r = evaluacionAccionSchema.safeParse(input);
  return r.success ? null : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]));
};

describe("the forms of the gestor's evaluation page", () => {
  it("refuses a form with no intent or an unknown one, at `intent`", () => {
    expect(issues({})).toEqual({ intent: ACCION_DESCONOCIDA });
    expect(issues({ intent: "borrar" })).toEqual({ intent: ACCION_DESCONOCIDA });
  });

  it("takes every ticked evaluador, and checks them only once the stage's id is right", () => {
    expect(evaluacionAccionSchema.parse({ intent: "asignar", etapaId: ETAPA, evaluadores: [ETAPA, OTRA] })).toEqual({
      intent: "asignar", etapaId: ETAPA, evaluadores: [ETAPA, OTRA],
    });
    expect(evaluacionAccionSchema.parse({ intent: "asignar", etapaId: ETAPA, evaluadores: [] })).toMatchObject({ evaluadores: [] });
    expect(issues({ intent: "asignar", etapaId: "x", evaluadores: ["y"] })).toEqual({ etapaId: "Recargue la página e inténtelo de nuevo." });
    expect(issues({ intent: "asignar", etapaId: ETAPA, evaluadores: [OTRA, "y"] })).toEqual({ evaluadores: "Recargue la página e inténtelo de nuevo." });
  });

  it("reads the committee's order of a tie from the puesto_<id> fields, each puesto distinct, after the nota", () => {
    expect(evaluacionAccionSchema.parse({ intent: "desempate", nota: " Acta 3 ", [`puesto_${ETAPA}`]: "2", [`puesto_${OTRA}`]: "1" })).toEqual({
      intent: "desempate", nota: "Acta 3", orden: [OTRA, ETAPA],
    });
    expect(issues({ intent: "desempate", nota: "Acta 3", [`puesto_${ETAPA}`]: "1", [`puesto_${OTRA}`]: "1" })).toEqual({
      orden: "Asigne un puesto distinto a cada postulación empatada.",
    });
    expect(issues({ intent: "desempate", nota: "", [`puesto_${ETAPA}`]: "1", [`puesto_${OTRA}`]: "1" })).toEqual({ nota: "Describa cómo se resolvió el empate." });
  });

  it("reads a bonificación's decision, and a Deportista's level only when it is a whole number", () => {
    const base = { intent: "bonificacion", postulacionId: ETAPA, tipo: "deportista", decision: "validar" };
    expect(evaluacionAccionSchema.parse({ ...base, nivel: "3" })).toEqual({
      intent: "bonificacion", postulacionId: ETAPA, tipo: "deportista", validada: true, nivel: 3, observacion: "",
    });
    expect(evaluacionAccionSchema.parse({ ...base, nivel: "2,5", decision: "rechazar" })).toMatchObject({ validada: false, nivel: null });
    expect(evaluacionAccionSchema.parse({ ...base, nivel: "" })).toMatchObject({ nivel: null });
  });

  it("reads the configuration: the técnica only when included, its numbers then required", () => {
    const base = {
      intent: "configurar", peso_curricular: "50", maximo_curricular: "50", minimo_curricular: "35",
      peso_entrevista: "50", maximo_entrevista: "50", minimo_entrevista: "35,5", bonificacionesAcumulables: "no", publicarComo: "nombres",
    };
    expect(evaluacionAccionSchema.parse(base)).toEqual({
      intent: "configurar",
      etapas: [
        { tipo: "curricular", peso: 5000, maximo: 5000, minimo: 3500 },
        { tipo: "entrevista", peso: 5000, maximo: 5000, minimo: 3550 },
      ],
      bonificacionesAcumulables: false,
      publicarComo: "nombres",
    });
    expect(issues({ ...base, incluir_tecnica: "on", peso_tecnica: "20", maximo_tecnica: "", minimo_tecnica: "12" })).toEqual({
      maximo_tecnica: "Ingrese un número, por ejemplo 20 o 12,5.",
    });
  });
});

describe("the scores of a stage's page", () => {
  const form = { intent: "guardar", pagina: "1", [`puntaje_${ETAPA}`]: "38,5", [`observacion_${ETAPA}`]: "Bien", [`puntaje_${OTRA}`]: "" };

  it("reads every row of the page, a missing observación as empty", () => {
    expect(puntajesSchema.parse(form)).toEqual([
      { postulacionId: ETAPA, puntaje: "38,5", observacion: "Bien" },
      { postulacionId: OTRA, puntaje: "", observacion: "" },
    ]);
  });

  it("reads only the row whose «Guardar» was pressed", () => {
    expect(puntajesSchema.parse({ ...form, fila: OTRA })).toEqual([{ postulacionId: OTRA, puntaje: "", observacion: "" }]);
  });
});
