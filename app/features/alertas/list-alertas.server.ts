import { and, desc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { alertas } from "~/db/schema";
import { describirBusqueda } from "~/features/convocatorias/filtros.server";
import { busquedaDeAlerta } from "./alerta.server";

/** An applicant's active alerts, newest first, each with its search in words and its list's address. */
export async function listAlertas(db: Db, postulanteId: string) {
  const rows = await db
    .select()
    .from(alertas)
    .where(and(eq(alertas.postulanteId, postulanteId), isNotNull(alertas.confirmedAt)))
    .orderBy(desc(alertas.createdAt));
  return rows.map((r) => ({
    id: r.id,
    busqueda: describirBusqueda(busquedaDeAlerta(r)),
    creadaAt: r.createdAt.toISOString(),
    ultimoEnvioAt: r.lastSentAt?.toISOString() ?? null,
  }));
}
