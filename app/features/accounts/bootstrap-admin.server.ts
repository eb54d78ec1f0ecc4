import { sql } from "drizzle-orm";
import { staff } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";

/** ADMIN_EMAIL + ADMIN_PASSWORD create the first administrator when no staff account exists. */
export async function bootstrapAdmin(services: Pick<Services, "config" | "db" | "hasher" | "logger">): Promise<boolean> {
  const { config, db, hasher, logger } = services;
  if (!config.admin) return false;
  const [{ n } = { n: 0 }] = await db.select({ n: sql<number>`count(*)::int` }).from(staff);
  if (n > 0) return false;
  const passwordHash = await hasher.hash(config.admin.password);
  const created = await db.transaction(async (tx) => {
    const rows = await tx
      .insert(staff)
      .values({ email: config.admin!.email, nombre: "Administrador", role: "administrador", passwordHash })
      .onConflictDoNothing()
      .returning({ id: staff.id });
    const row = rows[0];
    if (row) await audit(tx, { type: "system", id: null }, "staff.admin_inicial", { type: "staff", id: row.id });
    return Boolean(row);
  });
  if (created) logger.info("first administrator created from ADMIN_EMAIL");
  return created;
}
