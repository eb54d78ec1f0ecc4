import { describe, expect, it } from "vitest";
import { fileNameParts } from "./file-name";

describe("fileNameParts", () => {
  it("wraps after _ and - and before a dot, keeping the extension whole", () => {
    expect(fileNameParts("cursos_de-capacitación.pdf")).toEqual(["cursos_", "de-", "capacitación", ".pdf"]);
  });

  it("keeps a name without separators whole and loses no character", () => {
    expect(fileNameParts("cursos.pdf")).toEqual(["cursos", ".pdf"]);
    expect(fileNameParts("CV 2026.final.pdf").join("")).toBe("CV 2026.final.pdf");
  });
});
