import { Writable } from "node:stream";
import type { AppLoadContext } from "react-router";
import { describe, expect, it } from "vitest";
import { createLogger } from "~/platform/logger.server";
import { AppError } from "~/shared/app-error";
import { answerError, asNotFound, refusal } from "./answer-error.server";

function contextWithLog() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(
    "info",
    new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString("utf8")) as Record<string, unknown>);
        callback();
      },
    }),
  );
  return { context: { logger } as unknown as AppLoadContext, lines };
}

const form = (entries: Record<string, string>) => {
  const formData = new FormData();
  for (const [k, v] of Object.entries(entries)) formData.append(k, v);
  return formData;
};

describe("answerError", () => {
  it("answers the form: the message at its field, what was typed but secrets, the error's status; one log line", () => {
    const { context, lines } = contextWithLog();
    const error = new AppError("convocatoria.codigo_repetido", "Ya existe una convocatoria con el código «CAS-1».", {
      status: 409, field: "codigo", logCause: "codigo repetido",
    });
    const answer = answerError(error, form({ codigo: "CAS-1", puesto: "Analista", password: "x" }), context, "convocatoria", { echo: ["codigo"] });
    expect(answer.init?.status).toBe(409);
    expect(answer.data).toEqual({ errors: { codigo: "Ya existe una convocatoria con el código «CAS-1»." }, values: { codigo: "CAS-1", puesto: "Analista" } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, msg: "convocatoria: refused", code: "convocatoria.codigo_repetido", cause: "codigo repetido", status: 409 });
  });

  it("gives every field of a refusal that names several, and logs how many at the chosen level", () => {
    const { context, lines } = contextWithLog();
    const error = AppError.many("evaluacion.puntajes_invalidos", { puntaje_a: "Ingrese un número.", puntaje_b: "Fuera de rango." }, "invalid scores");
    const answer = answerError(error, form({}), context, "evaluacion", { level: (e) => (e.fields ? "info" : "warn"), log: { intent: "guardar" } });
    expect(answer.init?.status).toBe(422);
    expect(answer.data.errors).toEqual({ puntaje_a: "Ingrese un número.", puntaje_b: "Fuera de rango." });
    expect(lines[0]).toMatchObject({ level: 30, fields: 2, intent: "guardar", code: "evaluacion.puntajes_invalidos" });
  });

  it("shows a message for a field the page does not have above the form", () => {
    const { context } = contextWithLog();
    const several = new AppError("postulacion.incompleta", "Falta cargar: DNI. Marque la casilla de la DECLARACIÓN.", {
      field: "archivo", fields: { archivo: "Falta cargar: DNI.", declaracion: "Marque la casilla de la DECLARACIÓN." },
    });
    expect(answerError(several, form({}), context, "finalizar", { pageFields: ["acepto"] }).data.errors).toEqual({
      form: "Falta cargar: DNI. Marque la casilla de la DECLARACIÓN.",
    });
    const acepto = new AppError("postulacion.sin_aceptar", "Marque la casilla.", { field: "acepto" });
    expect(answerError(acepto, form({}), context, "finalizar", { pageFields: ["acepto"] }).data.errors).toEqual({ acepto: "Marque la casilla." });
  });

  it("throws the page's 404 when asked, and rethrows anything that is not an AppError", async () => {
    const { context, lines } = contextWithLog();
    const missing = new AppError("convocatoria.no_encontrada", "La convocatoria no existe.", { status: 404 });
    let thrown: unknown;
    try {
      answerError(missing, form({}), context, "convocatoria", { notFoundPage: true });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(404);
    expect(await (thrown as Response).text()).toBe("La convocatoria no existe.");
    // Without it, a 404 is a form answer like any other.
    expect(answerError(missing, form({}), context, "evaluacion").init?.status).toBe(404);

    const bug = new TypeError("x is undefined");
    expect(() => answerError(bug, form({}), context, "convocatoria")).toThrow(bug);
    expect(() => refusal(bug, context, "login")).toThrow(bug);
    // Two refusals logged; the bug is not a refusal (the router logs it as a 500).
    expect(lines.map((l) => l.msg)).toEqual(["convocatoria: refused", "evaluacion: refused"]);
  });
});

describe("asNotFound", () => {
  it("turns a 404 AppError into a plain-text 404 and leaves anything else to rethrow", async () => {
    const missing = new AppError("evaluacion.convocatoria_no_encontrada", "No encontramos la convocatoria solicitada.", { status: 404 });
    const answer = asNotFound(missing, "La convocatoria no existe.") as Response;
    expect(answer.status).toBe(404);
    expect(await answer.text()).toBe("La convocatoria no existe.");
    const conflict = new AppError("evaluacion.etapa_cerrada", "Cerrada.", { status: 409 });
    expect(asNotFound(conflict)).toBe(conflict);
  });
});
