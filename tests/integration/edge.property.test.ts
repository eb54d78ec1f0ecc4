import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertDocumentos } from "../support/postulacion";
import { createPostulante, createStaff } from "../support/accounts";
import { signIn } from "../support/convocatorias";
import { createConvocatoria, createPostulaciones } from "../support/evaluacion";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Issue 11, "bad input answers 500": every route of app/routes, its path parameters, the
 * query parameters the app reads and the fields of the forms its pages show, with hostile
 * values, as an applicant, as an administrator and anonymously: never a 5xx.
 */

/** app/routes/<file> → its URL pattern (React Router's flat routes: `.` is `/`, `$x` a parameter, `[.]` a dot). */
function routeUrl(file: string): string {
  const name = file.replace(/\.(tsx|ts)$/, "");
  const segments = name
    .replace(/\[\.\]/g, "~dot~")
    .split(".")
    .map((s) => s.replace(/~dot~/g, ".").replace(/_$/, ""))
    .filter((s) => s !== "_index" && s !== "");
  return "/" + segments.map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s)).join("/");
}
const ROUTES = readdirSync("app/routes")
  .filter((f) => /\.tsx?$/.test(f))
  .map(routeUrl);

/** The query parameters the app reads (searchParams.get in app/). */
const QUERY = ["q", "tipoContrato", "unidad", "estado", "pagina", "page", "orden", "departamento", "provincia", "situacion", "redirectTo", "token", "aviso"];

const HOSTILE = [
  "\u0000",
  "a\u0000b",
  "\u001b[31m",
  "\u0085",
  "\r\n\t",
  "<script>alert(1)</script>",
  "'; DROP TABLE postulantes; --",
  "1' OR '1'='1",
  "x",
  "1",
  "-1",
  "99999999999999999999",
  "NaN",
  "1e309",
  "0x10",
  "00000000-0000-0000-0000-000000000000",
  "00000000-0000-0000-0000-00000000000g",
  "-".repeat(36),
  "a".repeat(36),
  "\u202Egnp.exe",
  "\uFEFF",
  "\uD800",
  "😀👩🏽‍💻",
  "%00",
  "../../etc/passwd",
  "//evil.example",
  "x".repeat(5_000),
  "",
  " ",
];
/** Raw %-sequences a browser never sends: invalid UTF-8, a broken escape, NUL. */
const RAW_ESCAPES = ["%FF", "%C3%28", "%E0%A4", "%00", "%ED%A0%80", "%", "%zz"];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: "binary", maxLength: 60 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

/** As a browser would (a lone surrogate, which it cannot encode, as the bytes a client could still send). */
const encode = (value: string) => {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
};

/** A value as it goes into a URL: encoded, or (sometimes) a raw hostile escape. */
const urlValue = (real: string[]) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...real, randomUUID()).map(encode) },
    { weight: 3, arbitrary: hostile.map(encode) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_ESCAPES) },
  );

const NEVER = (status: number) => status >= 500;

describe("hostile values at every route: never a 5xx", () => {
  let services: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let applicant: TestClient;
  let admin: TestClient;
  let realIds: string[];

  beforeAll(async () => {
    services = await createTestServices();
    app = await startTestApp(services);
    const now = services.clock.now().getTime();
    const abierta = await createConvocatoria(services, {
      postulacionInicio: new Date(now - 86_400_000),
      postulacionFin: new Date(now + 5 * 86_400_000),
    });
    const cerrada = await createConvocatoria(services);
    const [finalizada] = await createPostulaciones(services, cerrada.id, 2, { documentos: ["DNI"] });
    const postulante = await createPostulante(services);
    const staff = await createStaff(services, "administrador");
    applicant = app.client();
    admin = app.client();
    await signIn(services, applicant, { postulanteId: postulante.id });
    await signIn(services, admin, { staffId: staff.id });
    await applicant.get(`/postulacion/${abierta.id}`); // the draft, with a document: its page has "eliminar" and "confirmar"
    const draft = await services.db.query.postulaciones.findFirst({ where: (p, { eq }) => eq(p.postulanteId, postulante.id) });
    await insertDocumentos(services.db, {
      postulanteId: postulante.id,
      postulacionId: draft!.id,
      tipos: ["DNI"],
      stored: { key: "pruebas/dni.pdf", size: 4, sha256: "0".repeat(64) },
      now: services.clock.now(),
    });
    await admin.get("/admin");
    realIds = [abierta.id, cerrada.id, finalizada!.id];
  }, 180_000);
  afterAll(async () => {
    await app?.close();
    await services?.close();
  });

  it("covers every route file", () => {
    expect(ROUTES.length).toBe(readdirSync("app/routes").filter((f) => /\.tsx?$/.test(f)).length);
    expect(ROUTES).toContain("/admin/convocatorias/:id/postulaciones/excel");
    expect(ROUTES).toContain("/convocatorias/feed.json");
  });

  it("GET: path parameters and query parameters", async () => {
    const clients = () => [applicant, admin, app.client()];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(urlValue(["x"]), { minLength: 2, maxLength: 2 }),
        fc.dictionary(fc.constantFrom(...QUERY), urlValue(["1", "a"]), { maxKeys: 3 }),
        fc.nat(2),
        async (route, params, query, who) => {
          let i = 0;
          const path = route.replace(/:[a-zA-Z]+/g, () => params[i++ % 2]!);
          const qs = Object.entries(query).map(([k, v]) => `${k}=${v}`).join("&");
          const url = qs ? `${path}?${qs}` : path;
          const response = await clients()[who]!.get(url);
          expect(NEVER(response.status), `${response.status} GET ${url}`).toBe(false);
        },
      ),
      { numRuns: 250 },
    );
  }, 600_000);

  it("GET with real ids, then POST every form of that page with hostile fields", async () => {
    // Each page with real ids, as the one who may see it; its forms' fields and intents.
    const pages: { client: TestClient; path: string; actions: string[]; fields: string[]; intents: string[] }[] = [];
    for (const route of ROUTES) {
      if (/logout|\.(pdf|json|atom)$|excel|fichas|bases|archivo|resultados/.test(route)) continue;
      for (const [client, ids] of [
        [applicant, realIds],
        [admin, realIds],
      ] as const) {
        for (const id of ids) {
          const path = route.replace(/:[a-zA-Z]+/g, id);
          const page = await client.get(path);
          if (page.status !== 200 || !/<form[^>]*method="post"/i.test(page.html)) continue;
          const forms = [...page.html.matchAll(/<form[^>]*method="post"[^>]*>[\s\S]*?<\/form>/gi)].map((m) => m[0]);
          const actions = new Set<string>();
          for (const f of forms) actions.add(/action="([^"]+)"/.exec(f)?.[1]?.replace(/&amp;/g, "&") ?? path);
          const fields = new Set([...page.html.matchAll(/<(?:input|select|textarea)[^>]*name="([^"]+)"/g)].map((m) => m[1]!));
          const intents = new Set([...page.html.matchAll(/name="intent"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="intent"/g)].map((m) => m[1] ?? m[2]!));
          fields.delete("csrf");
          pages.push({ client, path, actions: [...actions], fields: [...fields], intents: [...intents] });
          break;
        }
      }
    }
    expect(pages.length).toBeGreaterThan(10);
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...pages),
        fc.nat(),
        fc.dictionary(fc.string({ maxLength: 3 }), hostile, { maxKeys: 40 }),
        fc.nat(),
        async (page, actionIndex, values, pick) => {
          const action = page.actions[actionIndex % page.actions.length]!;
          const fields: Record<string, string> = {};
          const hostileValues = Object.values(values);
          page.fields.forEach((name, i) => {
            // Sometimes missing, sometimes real, mostly hostile.
            const roll = (pick + i * 7) % 5;
            if (roll === 0) return;
            fields[name] = roll === 1 ? realIds[(pick + i) % realIds.length]! : (hostileValues[i % Math.max(1, hostileValues.length)] ?? "");
          });
          if (page.intents.length) fields.intent = page.intents[pick % page.intents.length]!;
          if (page.client === admin) await admin.get(page.path); // a fresh token after a redirect elsewhere
          const response = await page.client.post(action, fields);
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          expect(NEVER(response.status), `${response.status} POST ${action} ${JSON.stringify(Object.keys(fields))}`).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
    // The actions themselves were reached, not only the edge's refusals.
    const reached = [...statuses].filter(([status]) => status < 400 || status === 422).reduce((n, [, c]) => n + c, 0);
    expect(reached, JSON.stringify([...statuses])).toBeGreaterThan(30);
  }, 900_000);
});
