import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CSRF_FIELD } from "./csrf.server";
import { parseForm } from "./forms.server";

const form = (entries: [string, string][]) => {
  const formData = new FormData();
  for (const [name, value] of entries) formData.append(name, value);
  return formData;
};

describe("parseForm", () => {
  const asignar = z.object({ etapaId: z.string(), evaluadores: z.array(z.string()) });

  it("gives an array field every value sent under its name, in order", () => {
    const parsed = parseForm(asignar, form([["etapaId", "e"], ["evaluadores", "a"], ["evaluadores", "b"], [CSRF_FIELD, "t"]]));
    expect(parsed).toEqual({ ok: true, data: { etapaId: "e", evaluadores: ["a", "b"] } });
  });

  it("gives an array field one value as a list of one, and none as an empty list (no box ticked)", () => {
    expect(parseForm(asignar, form([["etapaId", "e"], ["evaluadores", "a"]]))).toEqual({ ok: true, data: { etapaId: "e", evaluadores: ["a"] } });
    expect(parseForm(asignar, form([["etapaId", "e"]]))).toEqual({ ok: true, data: { etapaId: "e", evaluadores: [] } });
  });

  it("keeps the last value of a repeated field that is not an array", () => {
    expect(parseForm(asignar, form([["etapaId", "e1"], ["etapaId", "e2"]]))).toEqual({ ok: true, data: { etapaId: "e2", evaluadores: [] } });
  });

  it("finds array fields inside a union of intents, behind .optional() and before a .transform", () => {
    const schema = z.discriminatedUnion("intent", [
      z.object({ intent: z.literal("asignar"), ids: z.array(z.string()).optional() }).transform((v) => ({ intent: v.intent, n: v.ids?.length })),
      z.object({ intent: z.literal("cerrar"), motivo: z.string() }),
    ]);
    expect(parseForm(schema, form([["intent", "asignar"], ["ids", "a"], ["ids", "b"]]))).toEqual({ ok: true, data: { intent: "asignar", n: 2 } });
    expect(parseForm(schema, form([["intent", "cerrar"], ["motivo", "m"]]))).toEqual({ ok: true, data: { intent: "cerrar", motivo: "m" } });
  });

  it("names the field of a refused array value, with the first message of each field", () => {
    const schema = z.object({ ids: z.array(z.uuid({ error: "Recargue la página." })), nota: z.string().min(1, { error: "Escriba la nota." }) });
    expect(parseForm(schema, form([["ids", "x"], ["ids", "y"], ["nota", ""]]))).toEqual({
      ok: false,
      errors: { ids: "Recargue la página.", nota: "Escriba la nota." },
    });
  });
});
