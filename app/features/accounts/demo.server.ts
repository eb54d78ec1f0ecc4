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

export const DEMO_STAFF = [
  { email: "gestor@cas.demo", nombre: "Rosa Díaz", role: "gestor" },
  { email: "evaluador@cas.demo", nombre: "Jorge Salazar", role: "evaluador" },
  { email: "evaluadora2@cas.demo", nombre: "Lucía Mendoza", role: "evaluador" },
] as const;

export const DEMO_ADMIN = { email: "admin@cas.demo", nombre: "Administrador Demo", role: "administrador" } as const;

/**
 * Demo accounts (docs/demo.md): two postulantes and staff for each role. The administrator
 * is added only when no staff account exists yet (ADMIN_EMAIL may have created the real one).
 * Existing rows (same document or e-mail) are left alone, so seeding twice changes nothing.
 */
export async function seedDemoAccounts(services: Pick<Services, "db" | "clock" | "hasher" | "logger">): Promise<void> {
  const { db, clock, hasher } = services;
  const now = clock.now();
  const [{ n: staffCount } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(staff);
  const members = staffCount === 0 ? [DEMO_ADMIN, ...DEMO_STAFF] : [...DEMO_STAFF];

  // Each account gets its own salt; the hashes are computed before the transaction.
  const postulanteRows = await Promise.all(
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
