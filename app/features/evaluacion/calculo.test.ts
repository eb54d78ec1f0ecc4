import { describe, expect, it } from "vitest";
import { porcentajeTotal } from "./calculo";

describe("porcentajeTotal", () => {
  it("applies bonificaciones after the last stage to validated sustentos only: added up by default, or only the highest", () => {
    expect(porcentajeTotal([{ tipo: "ffaa", nivel: null }, { tipo: "discapacidad", nivel: null }], true)).toBe(25);
    expect(porcentajeTotal([{ tipo: "ffaa", nivel: null }, { tipo: "discapacidad", nivel: null }], false)).toBe(15);
    expect([1, 2, 3, 4, 5].map((nivel) => porcentajeTotal([{ tipo: "deportista", nivel }], true))).toEqual([20, 16, 12, 8, 4]);
  });
});
