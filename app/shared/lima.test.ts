import { describe, expect, it } from "vitest";
import { formatLima, formatLimaFecha } from "./lima";

describe("Lima time", () => {
  it("shows the first hour after midnight as 00, not 24", () => {
    expect(formatLima(new Date("2026-10-28T05:07:00Z"))).toBe("28/10/2026, 00:07");
    expect(formatLima(new Date("2026-10-28T04:59:00Z"))).toBe("27/10/2026, 23:59");
    expect(formatLima("2026-12-01T13:30:00Z")).toBe("01/12/2026, 08:30");
    expect(formatLimaFecha(new Date("2026-10-28T04:59:00Z"))).toBe("27/10/2026");
  });
});
