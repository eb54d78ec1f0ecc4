import { asc } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { staff } from "~/db/schema";

/** The staff accounts (issue 2), by name and then e-mail, each with its role and whether it is enabled. */
export async function listStaff(db: Db) {
  const rows = await db
    .select({ id: staff.id, nombre: staff.nombre, email: staff.email, role: staff.role, disabledAt: staff.disabledAt })
    .from(staff)
    .orderBy(asc(staff.nombre), asc(staff.email));
  return rows.map((r) => ({ ...r, habilitado: !r.disabledAt }));
}
