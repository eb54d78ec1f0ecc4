import { describe, expect, it } from "vitest";
import { departamentos, describeUbigeo, distritos, isDistrito, provincias } from "./ubigeo.server";

describe("ubigeo", () => {
  it("has the 25 regions (24 departamentos and Callao) and the 1,893 districts of the shipped file", () => {
    expect(departamentos()).toHaveLength(25);
    const total = departamentos().flatMap((d) => provincias(d.value)).flatMap((p) => distritos(p.value)).length;
    expect(total).toBe(1893);
  });
  it("cascades Lima → Lima → Miraflores", () => {
    expect(provincias("15").map((p) => p.label)).toContain("LIMA");
    expect(distritos("1501").find((d) => d.label === "MIRAFLORES")?.value).toBe("150122");
    expect(describeUbigeo("150122")).toBe("MIRAFLORES, LIMA, LIMA");
    expect(isDistrito("150122")).toBe(true);
    expect(isDistrito("150199")).toBe(false);
    // The one row without an INEI code gets its province's prefix.
    expect(describeUbigeo("180107")).toBe("SAN ANTONIO, MARISCAL NIETO, MOQUEGUA");
  });
});
