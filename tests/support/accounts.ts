import { eq } from "drizzle-orm";
import { postulantes, sessions, staff } from "~/db/schema";
import { cookieName } from "~/web/cookies.server";
import { hashToken } from "~/platform/tokens.server";
import { createSession } from "~/platform/session.server";
import { matchingStep } from "~/features/staff-mfa/totp.server";
import type { StaffRole } from "~/shared/permissions";
import type { Services } from "~/platform/services.server";

/**
 * Accounts made straight in the database (no registration form), for any test that
 * needs someone signed in. Every call gets a fresh document number and e-mail; the
 * clear password comes back with the row so the test can sign in with it.
 */
let seq = 0;
const next = () => ++seq + Math.floor(Math.random() * 1_000) * 1_000;

export const DEFAULT_PASSWORD = "Clave-segura-2026";

export type TestPostulante = typeof postulantes.$inferSelect & { password: string };
export type TestStaff = typeof staff.$inferSelect & { password: string };

export async function createPostulante(
  services: Pick<Services, "db" | "hasher" | "clock">,
  overrides: Partial<typeof postulantes.$inferInsert> & { password?: string } = {},
): Promise<TestPostulante> {
  const n = next();
  const { password = DEFAULT_PASSWORD, ...fields } = overrides;
  const now = services.clock.now();
  const [row] = await services.db
    .insert(postulantes)
    .values({
      nacionalidad: "PE",
      tipoDocumento: "DNI",
      numeroDocumento: String(40_000_000 + n).padStart(8, "0"),
      nombres: "Rosa María",
      apellidoPaterno: "Quispe",
      apellidoMaterno: "Huamán",
      fechaNacimiento: "1990-05-17",
      sexo: "F",
      email: `postulante${n}@correo.test`,
      emailVerifiedAt: now,
      celular: "987654321",
      direccion: "Av. Los Próceres 123",
      ubigeo: "150101",
      passwordHash: await services.hasher.hash(password),
      consentVersion: "2026-11-26",
      consentAt: now,
      ...fields,
    })
    .returning();
  return { ...row!, password };
}

export async function createStaff(
  services: Pick<Services, "db" | "hasher">,
  role: StaffRole = "administrador",
  overrides: Partial<typeof staff.$inferInsert> & { password?: string } = {},
): Promise<TestStaff> {
  const n = next();
  const { password = DEFAULT_PASSWORD, ...fields } = overrides;
  const [row] = await services.db
    .insert(staff)
    .values({
      email: `${role}${n}@entidad.test`,
      nombre: `Personal ${role} ${n}`,
      role,
      passwordHash: await services.hasher.hash(password),
      ...fields,
    })
    .returning();
  return { ...row!, password };
}

/**
 * Staff sessions made in a test (createSession, or /admin/login) have passed only the password
 * step; gestor and administrador must pass the second factor (issue 5) before any admin page.
 * This marks a session token as verified, as /admin/segundo-factor would.
 */
export async function verifyStaffSessionForTests(services: Pick<Services, "db" | "clock">, sessionToken: string): Promise<void> {
  await services.db.update(sessions).set({ mfaVerifiedAt: services.clock.now() }).where(eq(sessions.idHash, hashToken(sessionToken)));
}

/** The same, for a test client's current session cookie. */
export async function verifyClientSessionForTests(
  services: Pick<Services, "db" | "clock" | "config">,
  client: { cookies: Map<string, string> },
): Promise<void> {
  const token = client.cookies.get(cookieName("cas_session", services.config.secureCookies));
  if (token) await verifyStaffSessionForTests(services, token);
}

/** A valid "Registrar Datos de Usuario" form (step 2 of Crear nuevo usuario) for a Peruvian with DNI. */
export const REGISTRO_FORM = {
  nombres: "María José",
  apellidoPaterno: "Quispe",
  apellidoMaterno: "Mamani",
  fechaNacimiento: "1990-07-14",
  sexo: "F",
  email: "maria@example.pe",
  emailConfirmacion: "maria@example.pe",
  celular: "987654321",
  telefono: "",
  paisResidencia: "PE",
  direccion: "Av. Arequipa 123",
  departamento: "15",
  provincia: "1501",
  distrito: "150101",
  password: "Cusco 2026 azul",
  passwordConfirmacion: "Cusco 2026 azul",
  consentimiento: "on",
};

/** A six-digit code the authenticator app would not show for `secret` now (nor a step either side). */
export function wrongTotpCode(secret: string, now: Date): string {
  // 000000, 111111, …: at most three of them can be valid around `now`.
  return ["000000", "111111", "222222", "333333"].find((code) => matchingStep(secret, code, now) == null)!;
}

/**
 * A test client of the running app signed in as `owner`: a session made in the database (a
 * staff one marked as past the second factor), its cookie set, and a first page read for the
 * CSRF token. For HTTP tests that need someone signed in without going through the forms.
 */
export async function signedInClient<C extends { cookies: Map<string, string>; get(path: string): Promise<unknown> }>(
  app: { client(): C },
  services: Pick<Services, "db" | "clock" | "config">,
  owner: { staffId: string } | { postulanteId: string },
): Promise<C> {
  const c = app.client();
  const token = await createSession(services.db, owner, services.clock.now());
  if ("staffId" in owner) await verifyStaffSessionForTests(services, token);
  c.cookies.set(cookieName("cas_session", services.config.secureCookies), token);
  await c.get("/");
  return c;
}
