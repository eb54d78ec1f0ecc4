import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatorias } from "~/db/schema";
import type { Principal } from "~/platform/session.server";
import { can } from "~/shared/permissions";

/**
 * The bases PDF of a convocatoria: anyone's for a published one; a borrador's only for the HR
 * office (an enabled staff member who manages convocatorias) — to everyone else, as to an
 * unknown convocatoria, null. `reader` is asked only for a borrador (reading the session costs
 * a query). `privada`: a borrador's, never kept by a shared cache.
 */
export async function findBases(db: Db, convocatoriaId: string, reader: () => Promise<Principal | null>) {
  const c = await db.query.convocatorias.findFirst({
    where: eq(convocatorias.id, convocatoriaId),
    columns: { estado: true, basesKey: true, basesFilename: true, basesSha256: true, basesSize: true },
  });
  if (!c?.basesKey) return null;
  if (c.estado === "borrador") {
    const principal = await reader();
    const member =
      principal?.kind === "staff" ? await db.query.staff.findFirst({ where: (s, { eq: e }) => e(s.id, principal.staffId) }) : null;
    if (!member || member.disabledAt || !can(member.role, "manage:convocatoria")) return null;
  }
  return { key: c.basesKey, filename: c.basesFilename, sha256: c.basesSha256, size: c.basesSize, privada: c.estado === "borrador" };
}
