import { sql } from "drizzle-orm";
import { postulantes, staff } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { PRIVACY_NOTICE_VERSION } from "./privacy";

/** The demo's passwords, written in docs/demo.md; never used outside DEMO_DATA=1. */
export const DEMO_POSTULANTE_PASSWORD = "Postula2026";
export const DEMO_STAFF_PASSWORD = "Personal-2026!";

export const DEMO_POSTULANTES = [
  {
    // Peruvian, e-mail verified, address in Miraflores (Lima).
    nacionalidad: "PE",
    tipoDocumento: "DNI",
    numeroDocumento: "45871236",
    nombres: "María",
    apellidoPaterno: "Quispe",
    apellidoMaterno: "Huamán",
    fechaNacimiento: "1990-04-15",
    sexo: "F",
    email: "maria.quispe@cas.demo",
    verified: true,
    celular: "987654321",
    telefono: "014452301",
    paisResidencia: "PE",
    direccion: "Av. José Larco 1234, dpto. 502",
    ubigeo: "150122",
  },
  {
    // Venezuelan with carnet de extranjería, living in Lima; e-mail NOT verified, to show "Reenviar".
    nacionalidad: "VE",
    tipoDocumento: "CE",
    numeroDocumento: "001234567",
    nombres: "Carlos Alberto",
    apellidoPaterno: "Rodríguez",
    apellidoMaterno: "Pérez",
    fechaNacimiento: "1987-09-03",
    sexo: "M",
    email: "carlos.rodriguez@cas.demo",
    verified: false,
    celular: "912345678",
    telefono: null,
    paisResidencia: "PE",
    direccion: "Jr. Los Amautas 456, Zárate",
    ubigeo: "150132",
  },
] as const;

/**
 * The applicants of the demo's selection processes (app/features/demo/procesos.server.ts):
 * Peruvians with DNI, e-mail verified, the same password. None of them is María or Carlos,
 * who must have no postulación anywhere (the end-to-end tests postulate with them).
 */
export const DEMO_POSTULANTES_PROCESOS = [
  { numeroDocumento: "42698130", nombres: "José Luis", apellidoPaterno: "Ccori", apellidoMaterno: "Huallpa", fechaNacimiento: "1984-11-02", sexo: "M", email: "jose.ccori@cas.demo", celular: "951203487", direccion: "Jr. Huáscar 345", ubigeo: "150113" },
  { numeroDocumento: "71348902", nombres: "Ana Cecilia", apellidoPaterno: "Gutiérrez", apellidoMaterno: "Rojas", fechaNacimiento: "1992-09-25", sexo: "F", email: "ana.gutierrez@cas.demo", celular: "954781236", direccion: "Calle Mercaderes 118, dpto. 3", ubigeo: "040101" },
  { numeroDocumento: "41576309", nombres: "Percy Raúl", apellidoPaterno: "Espinoza", apellidoMaterno: "Mendoza", fechaNacimiento: "1982-08-16", sexo: "M", email: "percy.espinoza@cas.demo", celular: "915236847", direccion: "Jr. Junín 455", ubigeo: "150140" },
  { numeroDocumento: "46390214", nombres: "Luis Alberto", apellidoPaterno: "Chávez", apellidoMaterno: "Ramos", fechaNacimiento: "1989-01-30", sexo: "M", email: "luis.chavez@cas.demo", celular: "963548102", direccion: "Av. Universitaria 4120", ubigeo: "150117" },
  { numeroDocumento: "72561834", nombres: "Wilmer", apellidoPaterno: "Huamaní", apellidoMaterno: "Quispe", fechaNacimiento: "1990-04-03", sexo: "M", email: "wilmer.huamani@cas.demo", celular: "978213654", direccion: "Av. de la Cultura 1420", ubigeo: "080108" },
  { numeroDocumento: "44125978", nombres: "Milagros Fiorella", apellidoPaterno: "Benites", apellidoMaterno: "Salinas", fechaNacimiento: "1991-07-14", sexo: "F", email: "milagros.benites@cas.demo", celular: "987120456", direccion: "Calle Las Begonias 560", ubigeo: "150131" },
  { numeroDocumento: "73895120", nombres: "Jessica Paola", apellidoPaterno: "Ríos", apellidoMaterno: "Castillo", fechaNacimiento: "1994-02-27", sexo: "F", email: "jessica.rios@cas.demo", celular: "940368215", direccion: "Av. Grau 890", ubigeo: "200101" },
  { numeroDocumento: "43807261", nombres: "Gladys Noemí", apellidoPaterno: "Huanca", apellidoMaterno: "Ticona", fechaNacimiento: "1987-10-05", sexo: "F", email: "gladys.huanca@cas.demo", celular: "968104523", direccion: "Av. Túpac Amaru 3300", ubigeo: "150110" },
  { numeroDocumento: "45129874", nombres: "Renzo Martín", apellidoPaterno: "Lozano", apellidoMaterno: "Campos", fechaNacimiento: "1990-06-11", sexo: "M", email: "renzo.lozano@cas.demo", celular: "936547821", direccion: "Av. Arequipa 2450", ubigeo: "150116" },
  { numeroDocumento: "40213587", nombres: "Rosa Elena", apellidoPaterno: "Apaza", apellidoMaterno: "Condori", fechaNacimiento: "1986-03-21", sexo: "F", email: "rosa.apaza@cas.demo", celular: "945112378", direccion: "Av. Próceres de la Independencia 2150", ubigeo: "150132" },
  { numeroDocumento: "47752019", nombres: "Karen Stefany", apellidoPaterno: "Flores", apellidoMaterno: "Ñaupari", fechaNacimiento: "1993-05-09", sexo: "F", email: "karen.flores@cas.demo", celular: "932614875", direccion: "Av. Brasil 1870", ubigeo: "150121" },
  { numeroDocumento: "70124563", nombres: "Diego Alonso", apellidoPaterno: "Vargas", apellidoMaterno: "Saldaña", fechaNacimiento: "1995-12-18", sexo: "M", email: "diego.vargas@cas.demo", celular: "921457803", direccion: "Jr. Ayacucho 712", ubigeo: "150101" },
] as const;

export const DEMO_STAFF = [
  { email: "gestor@cas.demo", nombre: "Rosa Díaz", role: "gestor" },
  { email: "evaluador@cas.demo", nombre: "Jorge Salazar", role: "evaluador" },
  { email: "evaluadora2@cas.demo", nombre: "Lucía Mendoza", role: "evaluador" },
] as const;

export const DEMO_ADMIN = { email: "admin@cas.demo", nombre: "Administrador Demo", role: "administrador" } as const;

/**
 * Demo accounts (docs/demo.md): María and Carlos, the applicants of the demo's processes,
 * and staff for each role. The administrator
 * is added only when no staff account exists yet (ADMIN_EMAIL may have created the real one).
 * Existing rows (same document or e-mail) are left alone, so seeding twice changes nothing.
 */
export async function seedDemoAccounts(services: Pick<Services, "db" | "clock" | "hasher" | "logger">): Promise<void> {
  const { db, clock, hasher } = services;
  const now = clock.now();
  const [{ n: staffCount } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(staff);
  const members = staffCount === 0 ? [DEMO_ADMIN, ...DEMO_STAFF] : [...DEMO_STAFF];

  // Each account gets its own salt, but for the process applicants, who share one hash of the
  // documented password (eleven argon2 runs fewer at start; a demo database holds no secret).
  // The hashes are computed before the transaction.
  const procesosHash = hasher.hash(DEMO_POSTULANTE_PASSWORD);
  const postulanteRows: (typeof postulantes.$inferInsert)[] = await Promise.all(
    DEMO_POSTULANTES.map(async ({ verified, ...p }) => ({
      ...p,
      emailVerifiedAt: verified ? now : null,
      passwordHash: await hasher.hash(DEMO_POSTULANTE_PASSWORD),
      consentVersion: PRIVACY_NOTICE_VERSION,
      consentAt: now,
      createdAt: now,
      updatedAt: now,
    })),
  );
  for (const p of DEMO_POSTULANTES_PROCESOS) {
    postulanteRows.push({
      ...p,
      nacionalidad: "PE",
      tipoDocumento: "DNI",
      telefono: null,
      paisResidencia: "PE",
      emailVerifiedAt: now,
      passwordHash: await procesosHash,
      consentVersion: PRIVACY_NOTICE_VERSION,
      consentAt: now,
      createdAt: now,
      updatedAt: now,
    });
  }
  const staffRows = await Promise.all(
    members.map(async (m) => ({ ...m, passwordHash: await hasher.hash(DEMO_STAFF_PASSWORD), createdAt: now, updatedAt: now })),
  );

  await db.transaction(async (tx) => {
    const system = { type: "system", id: null } as const;
    const createdPostulantes = await tx.insert(postulantes).values(postulanteRows).onConflictDoNothing().returning({ id: postulantes.id });
    for (const { id } of createdPostulantes) {
      await audit(tx, system, "postulante.registrado", { type: "postulante", id }, { demo: true });
    }
    const createdStaff = await tx.insert(staff).values(staffRows).onConflictDoNothing().returning({ id: staff.id, role: staff.role });
    for (const { id, role } of createdStaff) {
      await audit(tx, system, "staff.creado", { type: "staff", id }, { role, demo: true });
    }
  });
  services.logger.info("demo accounts seeded (see docs/demo.md)");
}
