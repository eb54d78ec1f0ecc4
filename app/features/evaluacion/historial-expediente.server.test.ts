import { describe, expect, it } from "vitest";
import { describirEvento } from "./historial-expediente.server";

const ETAPA = "00000000-0000-4000-8000-000000000001";
const EVALUADORA = "00000000-0000-4000-8000-000000000002";
const DOC = "00000000-0000-4000-8000-000000000003";
const nombres = {
  documento: (id: unknown) => (id === DOC ? "cv firmado.pdf" : null),
  etapa: (id: unknown) => (id === ETAPA ? "Evaluación curricular" : null),
  staff: (id: unknown) => (id === EVALUADORA ? "Lucía Ramos" : null),
};
const di = (event: string, details: Record<string, unknown> = {}) => describirEvento({ event, actorType: "staff", details }, nombres);

describe("the expediente's history in plain words", () => {
  it("says which document, replaced or not, and a removed one by its type", () => {
    expect(di("documento.cargado", { tipo: "CV_DOCUMENTADO", documentoId: DOC, reemplazo: true })).toMatch(/^Reemplazó el documento «.+» \(cv firmado\.pdf\)$/);
    expect(di("documento.cargado", { tipo: "DNI", documentoId: "gone" })).toBe("Cargó el documento «DNI»");
    expect(di("documento.eliminado", { tipo: "DNI" })).toBe("Quitó el documento «DNI»");
    expect(di("documento.confirmaciones", { confirmados: ["DNI"], desmarcados: [] })).toBe("Confirmó «DNI»");
    expect(di("documento.visto", { tipo: "ficha", archivo: "ficha" })).toBe("Abrió la Ficha de Postulación");
  });

  it("says which stage a score belongs to, whose score a correction changed, and the bonificación decided", () => {
    expect(di("evaluacion.puntaje_registrado", { etapaId: ETAPA, anterior: null, nuevo: "40.00" })).toBe("Registró el puntaje 40.00 en Evaluación curricular");
    expect(di("evaluacion.puntaje_registrado", { etapaId: ETAPA, anterior: "38.00", nuevo: "40.00" })).toBe("Cambió su puntaje de 38.00 a 40.00 en Evaluación curricular");
    expect(di("evaluacion.puntaje_corregido", { etapaId: ETAPA, evaluadorId: EVALUADORA, anterior: "30.00", nuevo: "35.00", motivo: "Error de digitación" })).toBe(
      "Corrigió el puntaje de Lucía Ramos en Evaluación curricular: de 30.00 a 35.00 (motivo: Error de digitación)",
    );
    expect(di("evaluacion.bonificacion_validada", { tipo: "ffaa", validada: false })).toBe("Rechazó la bonificación «Licenciado(a) de las Fuerzas Armadas (10 %)»");
    expect(di("postulacion.registrada", { numero: "2026-000123" })).toBe("Registró la postulación con el N° 2026-000123");
    expect(di("expediente.visto")).toBe("Vio el expediente");
  });
});
