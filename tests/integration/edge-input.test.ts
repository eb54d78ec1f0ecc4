import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "~/platform/logger.server";
import { createPostulante } from "../support/accounts";
import { signIn } from "../support/convocatorias";
import { createConvocatoria } from "../support/evaluacion";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/** The log lines written while a test runs (the app's own logger, at info). */
function captureLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      callback();
    },
  });
  return { logger: createLogger("info", stream), lines, text: () => lines.join("\n") };
}

/**
 * Issue 11, "bad input answers 500": control characters and invalid UTF-8 in any value are a
 * 400 and a non-UUID id a 404, at the edge, before any query; no log line carries a value.
 */
describe("values are checked at the edge", () => {
  let services: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let log: ReturnType<typeof captureLog>;
  let applicant: TestClient;
  let convocatoriaId: string;

  beforeAll(async () => {
    services = await createTestServices();
    log = captureLog();
    services.logger = log.logger;
    app = await startTestApp(services);
    const now = services.clock.now().getTime();
    convocatoriaId = (
      await createConvocatoria(services, {
        postulacionInicio: new Date(now - 86_400_000),
        postulacionFin: new Date(now + 5 * 86_400_000),
      })
    ).id;
    const postulante = await createPostulante(services);
    applicant = app.client();
    await signIn(services, applicant, { postulanteId: postulante.id });
    await applicant.get(`/postulacion/${convocatoriaId}`);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it.each([
    ["NUL in the search", "/convocatorias?q=%00"],
    ["NUL in a filter", "/convocatorias?tipoContrato=indeterminado%00"],
    ["an escape character in a filter", "/convocatorias?unidad=%1B%5B31m"],
    ["invalid UTF-8 in the query", "/convocatorias?q=%FF%FE"],
    ["a broken escape in the query", "/convocatorias?q=%E0%A4"],
    ["a C1 control in the query", "/convocatorias?q=%C2%85"],
    ["NUL in the path", "/convocatorias/%00"],
    ["invalid UTF-8 in the path", "/convocatorias/%C3%28"],
    ["NUL in the staff search", "/admin/personal?q=a%00"],
  ])("%s: 400 with a Spanish page", async (_what, path) => {
    const response = await app.client().get(path);
    expect(response.status).toBe(400);
    expect(response.html).toContain("Solicitud no válida");
    expect(response.html).toContain("caracteres no válidos");
  });

  it("tabs and line breaks are text, and pass", async () => {
    const response = await app.client().get("/convocatorias?q=a%09b%0D%0Ac");
    expect(response.status).toBe(200);
  });

  it.each([
    ["/convocatorias/x"],
    ["/convocatorias/1%20OR%201=1"],
    ["/convocatorias/x.data"],
    ["/convocatorias/x/bases"],
    ["/declaraciones-juradas/123"],
    ["/postulacion/x"],
    ["/admin/convocatorias/no-es-un-id"],
  ])("a path id that is not a UUID is a 404: %s", async (path) => {
    const response = await applicant.get(path);
    expect(response.status).toBe(404);
  });

  it("a UUID that names nothing is still the route's own 404", async () => {
    const response = await app.client().get(`/convocatorias/${randomUUID()}`);
    expect(response.status).toBe(404);
  });

  it("a form value with NUL or invalid UTF-8 is a 400; a field named …Id that is not a UUID a 404", async () => {
    const before = log.lines.length;
    const nul = await applicant.post(`/postulacion/${convocatoriaId}`, { intent: "confirmar", postulacionId: "x\u0000", confirmar: "y" });
    expect(nul.status).toBe(400);
    const bytes = Buffer.concat([Buffer.from(`csrf=${applicant.csrf}&intent=confirmar&observacion=`), Buffer.from([0xc3, 0x28])]);
    const utf8 = await applicant.send(`/postulacion/${convocatoriaId}`, bytes, { "content-type": "application/x-www-form-urlencoded" });
    expect(utf8.status).toBe(400);
    for (const postulacionId of ["x", "", "1", "' OR 1=1 --", `${randomUUID()}x`, "00000000-0000-0000-0000-00000000000g"]) {
      const response = await applicant.post(`/postulacion/${convocatoriaId}`, { intent: "confirmar", postulacionId });
      expect(response.status, postulacionId).toBe(404);
    }
    const lines = log.lines.slice(before).join("\n");
    expect(lines).toContain("request refused at the edge");
    expect(lines).not.toContain("OR 1=1");
  });

  it("ids in fields not named …Id (eliminar, confirmar) and a missing postulacionId: never a query with them", async () => {
    const shaped = ["-".repeat(36), "a".repeat(36), "x"];
    for (const id of shaped) {
      const eliminar = await applicant.post(`/postulacion/${convocatoriaId}`, { eliminar: id });
      expect(eliminar.status, id).toBe(404);
    }
    const missing = await applicant.post(`/postulacion/${convocatoriaId}`, { intent: "confirmar", confirmar: shaped });
    expect(missing.status).toBe(404);
  });

  it("a sign-in with NUL in the number: 400, nothing looked up", async () => {
    const client = app.client();
    await client.get("/login");
    const response = await client.post("/login", { tipoDocumento: "DNI", numeroDocumento: "1234\u00005678", password: "x" });
    expect(response.status).toBe(400);
  });

  it("a multipart text field with a control character: 400 (the convocatoria form)", async () => {
    const body = new FormData();
    body.append("csrf", applicant.csrf);
    body.append("tipo", "DNI\u0000");
    body.append("archivo", new Blob([new Uint8Array([37, 80, 68, 70])], { type: "application/pdf" }), "a.pdf");
    const response = await applicant.send(`/postulacion/${convocatoriaId}`, body);
    expect(response.status).toBe(400);
  });
});

describe("while the database is down", () => {
  let services: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let log: ReturnType<typeof captureLog>;
  let client: TestClient;

  beforeAll(async () => {
    services = await createTestServices();
    log = captureLog();
    services.logger = log.logger;
    app = await startTestApp(services);
    // Routes loaded and a CSRF token taken while it was up.
    await app.client().get("/convocatorias");
    client = app.client();
    await client.get("/login");
    await services.database.close();
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await services?.mailWorker.stop();
  });

  it.each(["/convocatorias", `/convocatorias/${randomUUID()}`, "/convocatorias/feed.json"])(
    "%s answers 503 with Retry-After and a Spanish page, and the log has no SQL",
    async (path) => {
      const response = await app.client().get(path);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(response.headers.get("cache-control")).toBe("no-store");
      expect(response.html).toContain("Servicio no disponible");
      expect(response.html).toContain("intente en unos minutos".replace(/^i/, "I"));
      const text = log.text();
      expect(text).toContain("database unavailable");
      expect(text).not.toMatch(/select |params:/i);
    },
  );

  it("a form post too", async () => {
    const response = await client.post("/login", { tipoDocumento: "DNI", numeroDocumento: "12345678", password: "x" });
    expect(response.status).toBe(503);
  });
});

describe("with the public page cache on (it renders before the request handler's id check)", () => {
  let services: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;

  beforeAll(async () => {
    services = await createTestServices({ env: { PUBLIC_CACHE_SECONDS: "5" } });
    app = await startTestApp(services);
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it("an id shaped like a UUID but not one is a 404, not a query", async () => {
    for (const id of ["-".repeat(36), "a".repeat(36)]) {
      const response = await app.client().get(`/convocatorias/${id}`);
      expect(response.status, id).toBe(404);
    }
  });
});
