import { describe, expect, it } from "vitest";
import { parsePuntaje } from "./numeros";

describe("parsePuntaje", () => {
  it("parses scores with a comma or a dot and at most two decimals", () => {
    expect(parsePuntaje("38,5")).toBe(3850);
    expect(parsePuntaje(" 40.25 ")).toBe(4025);
    expect(parsePuntaje("0")).toBe(0);
    for (const bad of ["", "abc", "-1", "1e2", "38,555", "38.5.1", "NaN", "Infinity"]) expect(parsePuntaje(bad)).toBeNull();
  });
});
