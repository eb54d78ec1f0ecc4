import { describe, expect, it } from "vitest";
import { passwordProblem } from "./password-policy.server";

describe("the password rule", () => {
  it("accepts 8 characters with letters and numbers, and any other character", () => {
    expect(passwordProblem("Cusco2026")).toBeNull();
    expect(passwordProblem("ñandú 7 ¿bien? 😀")).toBeNull();
  });
  it("accepts at least 64 characters", () => {
    expect(passwordProblem("a1".repeat(32))).toBeNull();
    expect(passwordProblem("Z9".repeat(64))).toBeNull();
  });
  it("refuses fewer than 8 characters, or only letters, or only numbers", () => {
    expect(passwordProblem("Abc1234")).toMatch(/al menos 8/);
    expect(passwordProblem("abcdefghij")).toMatch(/letras y números/);
    expect(passwordProblem("1234567890")).toMatch(/letras y números/);
  });
  it("refuses a common password", () => {
    expect(passwordProblem("password1")).toMatch(/muy común/);
    expect(passwordProblem("abc12345")).toMatch(/muy común/);
  });
  it("refuses the document number and the birth date inside it", () => {
    expect(passwordProblem("clave45871236x", { numeroDocumento: "45871236" })).toMatch(/número de documento/);
    expect(passwordProblem("Maria14071990", { fechaNacimiento: "1990-07-14" })).toMatch(/fecha de nacimiento/);
  });
});
