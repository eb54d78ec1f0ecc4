import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { declaracionesJuradasFormatos as formatos } from "~/db/schema";
import { isUuid } from "~/shared/ids";

/** One current Declaraciones Juradas format (seed 2.1.2) to download; undefined for a retired or unknown one. */
export async function findFormatoVigente(db: Db, id: string) {
  if (!isUuid(id)) return undefined;
  return db.query.declaracionesJuradasFormatos.findFirst({ where: and(eq(formatos.id, id), isNull(formatos.retiradoAt)) });
}
