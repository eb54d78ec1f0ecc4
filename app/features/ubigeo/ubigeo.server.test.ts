import { describe, expect, it } from "vitest";
import { convocatoriaSchema } from "~/features/convocatorias/convocatoria.schema";
import { departamentos, describeUbigeo, distritoSugerencias, distritos, isDistrito, provincias } from "./ubigeo.server";

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
  it("suggests every district by name with its code first, and the convocatoria form keeps the code", () => {
    const all = distritoSugerencias();
    expect(all).toHaveLength(1893);
    const miraflores = all.find((d) => d.startsWith("150122 "));
    expect(miraflores).toBe("150122 MIRAFLORES (LIMA, LIMA)");
    const ubigeo = (value: string) => convocatoriaSchema.shape.ubigeo.safeParse(value);
    expect(ubigeo(miraflores!).data).toBe("150122");
    expect(ubigeo("150122").data).toBe("150122");
    expect(ubigeo("Miraflores").success).toBe(false);
    expect(ubigeo("1501223 X").success).toBe(false);
  });
});
