import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginThrottle, postulantes, staff } from "~/db/schema";
import { datosContactoSchema } from "~/features/accounts/perfil.schema";
import { passwordProblem } from "~/features/accounts/password-policy.server";
import { crearStaffSchema } from "~/features/accounts/staff.schema";
import { isDistrito } from "~/features/ubigeo/ubigeo.server";
import { cookieName } from "~/web/cookies.server";
import { createSession } from "~/platform/session.server";
import { createPostulante, createStaff, verifyStaffSessionForTests, type TestPostulante } from "../support/accounts";
import { startTestApp, type TestClient } from "../support/http";
import { createTestServices, type TestServices } from "../support/services";

/**
 * Random and hostile input at the Mi Perfil forms and the staff form, over HTTP
 * (issue 2, "Bad input"): never a 500, and whatever is stored passes the same rules
 * the forms apply (nothing invalid stored), with the identity untouched.
 */
const HOSTILE = [
  "<script>alert(1)</script>",
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE postulantes; --",
  "1' OR '1'='1",
  "\u0000",
  "a\u0000b",
  "\u202Egnp.exe",
  "\uFEFF987654321",
  "\r\n\t",
  "😀👩🏽‍💻",
  "Ñandú Pérez",
  "%00%0d%0a",
  "${7*7}{{7*7}}",
  "9".repeat(9),
  "+51987654321",
  "nombre@ejemplo.pe",
  "NOMBRE@EJEMPLO.PE ",
  "15",
  "1501",
  "150122",
  "PE",
  "VE",
  "ZZ",
  "x".repeat(10_000),
  "é".repeat(300),
  "",
  " ",
];

const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary-ascii", minLength: 2_000, maxLength: 5_000 }),
);
/** A field that is sometimes valid, so the other fields' checks are reached too. */
const field = (...valid: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...valid) }, { weight: 1, arbitrary: hostile });
/** Sometimes the field is missing from the post altogether. */
const maybe = <T,>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 10 });
const ubigeo = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(["15", "1501", "150122"], ["04", "0401", "040101"], ["", "", ""], ["15", "0401", "150101"]) },
  { weight: 1, arbitrary: fc.tuple(hostile, hostile, hostile) },
);

/** Anything but a server error (a 404 is a row action on an unknown staff id). */
const OK_STATUSES = [200, 302, 400, 403, 404, 409, 422, 429];

describe("Mi Perfil and the staff form under random and hostile input", () => {
  let s: TestServices;
  let app: Awaited<ReturnType<typeof startTestApp>>;
  let p: TestPostulante;
  let client: TestClient;
  let adminClient: TestClient;
  let password: string;
  let admin: { id: string };

  beforeAll(async () => {
    s = await createTestServices();
    app = await startTestApp(s);
    p = await createPostulante(s);
    password = p.password;
    admin = await createStaff(s, "administrador", { nombre: "Ana Torres" });
    await createStaff(s, "gestor", { nombre: "Rosa Díaz" });
    await createStaff(s, "administrador", { nombre: "Jorge Salazar" });
    client = app.client();
    adminClient = app.client();
    const name = cookieName("cas_session", s.config.secureCookies);
    client.cookies.set(name, await createSession(s.db, { postulanteId: p.id }, s.clock.now()));
    const adminToken = await createSession(s.db, { staffId: admin.id }, s.clock.now());
    await verifyStaffSessionForTests(s, adminToken);
    adminClient.cookies.set(name, adminToken);
    await client.get("/mi-perfil");
    await adminClient.get("/admin/personal");
  });
  afterAll(async () => {
    await app?.close();
    await s?.close();
  });

  const stored = async () => (await s.db.query.postulantes.findFirst({ where: eq(postulantes.id, p.id) }))!;

  /** The stored contact data passes the form's own schema unchanged, and the identity is the fixture's. */
  async function expectValidPostulante() {
    const row = await stored();
    const reparsed = datosContactoSchema(isDistrito).safeParse({
      email: row.email,
      celular: row.celular,
      telefono: row.telefono ?? "",
      paisResidencia: row.paisResidencia,
      direccion: row.direccion,
      departamento: row.ubigeo?.slice(0, 2) ?? "",
      provincia: row.ubigeo?.slice(0, 4) ?? "",
      distrito: row.ubigeo ?? "",
    });
    expect(reparsed.success, JSON.stringify(reparsed.error?.issues)).toBe(true);
    expect(reparsed.data).toEqual({
      email: row.email,
      celular: row.celular,
      telefono: row.telefono,
      paisResidencia: row.paisResidencia,
      direccion: row.direccion,
      ubigeo: row.ubigeo,
      passwordCorreo: "",
    });
    expect(row).toMatchObject({
      nombres: p.nombres,
      apellidoPaterno: p.apellidoPaterno,
      apellidoMaterno: p.apellidoMaterno,
      numeroDocumento: p.numeroDocumento,
      fechaNacimiento: p.fechaNacimiento,
      sexo: p.sexo,
      nacionalidad: p.nacionalidad,
    });
  }

  it("Datos de contacto: never a 500, nothing invalid stored, identity never changed", async () => {
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          intent: maybe(field("contacto", "contacto", "contacto", "reenviar")),
          _accion: fc.option(field("actualizar-ubigeo"), { nil: undefined, freq: 2 }),
          email: maybe(field("nuevo@ejemplo.pe", "Otra.Persona@Correo.COM")),
          celular: maybe(field("987654321", "+56912345678", "987 654 321")),
          telefono: maybe(field("", "014452301", "(01) 445-2301")),
          paisResidencia: maybe(field("PE", "CL", "VE")),
          direccion: maybe(field("Av. Arequipa 123", "Jr. Ñ 4, dpto. 5")),
          ubigeo,
          nombres: maybe(hostile),
          numeroDocumento: maybe(hostile),
          fechaNacimiento: maybe(hostile),
        }),
        async ({ ubigeo: [departamento, provincia, distrito], ...form }) => {
          const fields = Object.fromEntries(
            Object.entries({ ...form, departamento, provincia, distrito }).filter(([, v]) => v !== undefined),
          ) as Record<string, string>;
          const res = await client.post("/mi-perfil", fields);
          expect(OK_STATUSES, `status ${res.status}`).toContain(res.status);
          seen.add(res.status);
          expect(res.html).not.toContain("<script>alert(1)</script>");
          await expectValidPostulante();
        },
      ),
      // A valid save first, always, so the assertion below does not hang on the random draw.
      {
        numRuns: 80,
        examples: [
          [
            {
              intent: "contacto", _accion: undefined, email: p.email, celular: "987654321", telefono: "", // the same e-mail: a new one needs the password
              paisResidencia: "PE", direccion: "Av. Arequipa 123", ubigeo: ["15", "1501", "150122"],
              nombres: undefined, numeroDocumento: undefined, fechaNacimiento: undefined,
            },
          ],
        ],
      },
    );
    // The runs reached both the refusals and the save.
    expect(seen).toContain(302);
    expect(seen).toContain(422);
  }, 60_000);

  it("Cambiar contraseña: never a 500; a new password is stored only when it passes the rule", async () => {
    let saved = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        field("Nueva-clave-2026", "Otra-clave-99x"),
        fc.option(hostile, { nil: undefined, freq: 3 }),
        async (rightCurrent, nueva, confirmacionOverride) => {
          await s.db.delete(loginThrottle); // each run starts unthrottled, so the success path is reached too
          const before = (await stored()).passwordHash;
          const confirmacion = confirmacionOverride ?? nueva;
          const res = await client.post("/mi-perfil", {
            intent: "password",
            passwordActual: rightCurrent ? password : `${password}-no`,
            passwordNueva: nueva,
            passwordConfirmacion: confirmacion,
          });
          expect(OK_STATUSES, `status ${res.status}`).toContain(res.status);
          const after = (await stored()).passwordHash;
          if (res.status === 302) {
            expect(rightCurrent).toBe(true);
            expect(confirmacion).toBe(nueva);
            expect(passwordProblem(nueva, { numeroDocumento: p.numeroDocumento, fechaNacimiento: p.fechaNacimiento })).toBeNull();
            expect(await s.hasher.verify(after, nueva)).toBe(true);
            password = nueva;
            saved++;
          } else {
            expect(after).toBe(before);
          }
        },
      ),
      // A right change first, always (random runs reach it only ~1 time in 8).
      { numRuns: 30, examples: [[true, "Nueva-clave-2026", undefined]] },
    );
    expect(saved).toBeGreaterThan(0);
  }, 60_000);

  it("the staff form: never a 500, every stored staff account passes the form's rules", async () => {
    const ids = (await s.db.select({ id: staff.id }).from(staff)).map((r) => r.id);
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          intent: field("crear", "rol", "deshabilitar", "habilitar"),
          nombre: maybe(field("Luis Pérez", "María-José O'Neill")),
          email: maybe(field("luis@entidad.test", "NUEVO@Entidad.Test")),
          role: maybe(field("administrador", "gestor", "evaluador")),
          password: maybe(field("Inicial-2026-lp")),
          staffId: maybe(field(...ids, "00000000-0000-0000-0000-000000000000")),
        }),
        async (form) => {
          const fields = Object.fromEntries(Object.entries(form).filter(([, v]) => v !== undefined)) as Record<string, string>;
          const res = await adminClient.post("/admin/personal", fields);
          expect(OK_STATUSES, `status ${res.status}`).toContain(res.status);
          expect(res.html).not.toContain("<script>alert(1)</script>");
          seen.add(res.status);
        },
      ),
      // A valid creation first, always (random runs reach one only now and then).
      {
        numRuns: 60,
        examples: [[{ intent: "crear", nombre: "Luis Pérez", email: "luis@entidad.test", role: "evaluador", password: "Inicial-2026-lp", staffId: undefined }]],
      },
    );
    expect(seen).toContain(302);
    for (const row of await s.db.select().from(staff)) {
      const reparsed = crearStaffSchema.safeParse({ nombre: row.nombre, email: row.email, role: row.role, password: "x" });
      expect(reparsed.success, `${row.id}: ${JSON.stringify(reparsed.error?.issues)}`).toBe(true);
      expect(reparsed.data).toMatchObject({ nombre: row.nombre, email: row.email, role: row.role });
    }
    // The administrator driving the test is never disabled or demoted by any of it.
    expect(await s.db.query.staff.findFirst({ where: eq(staff.id, admin.id) })).toMatchObject({ role: "administrador", disabledAt: null });
  }, 60_000);
});
