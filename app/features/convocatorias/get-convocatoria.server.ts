import { asc, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatoriaDocumentos, convocatorias, cronogramaEtapas } from "~/db/schema";
import { describeUbigeo } from "~/features/ubigeo/ubigeo.server";
import { isUuid } from "~/shared/ids";
import { perfilDeConvocatoria } from "./convocatoria-datos.server";
import { toResumen } from "./list-convocatorias.server";

/**
 * One convocatoria with its cronograma and documents, in plain (serialisable) values.
 * `comoPublicada`: a borrador as the public will see it once published now (the preview
 * before "Publicar"): its phase, days left and publication date are those it will have.
 */
export async function getConvocatoria(db: Db, id: string, now: Date, options: { comoPublicada?: boolean } = {}) {
  if (!isUuid(id)) return null;
  const row = await db.query.convocatorias.findFirst({ where: eq(convocatorias.id, id) });
  if (!row) return null;
  const c = options.comoPublicada && row.estado === "borrador" ? { ...row, estado: "publicada" as const, publishedAt: now } : row;
  const [requisitos, etapas, documentos] = await Promise.all([
    perfilDeConvocatoria(db, id),
    db.select().from(cronogramaEtapas).where(eq(cronogramaEtapas.convocatoriaId, id)).orderBy(asc(cronogramaEtapas.orden)),
    db.select().from(convocatoriaDocumentos).where(eq(convocatoriaDocumentos.convocatoriaId, id)),
  ]);
  return {
    ...toResumen({ ...c, hasBases: c.basesKey != null }, now),
    sede: c.sede,
    lugar: describeUbigeo(c.ubigeo),
    requisitos,
    bases: c.basesKey ? { filename: c.basesFilename ?? "bases.pdf", size: c.basesSize ?? 0, sha256: c.basesSha256 ?? "" } : null,
    motivo: c.motivo,
    closedAt: c.closedAt?.toISOString() ?? null,
    etapas: etapas.map((e) => ({
      orden: e.orden,
      nombre: e.nombre,
      inicio: e.inicio.toISOString(),
      fin: e.fin.toISOString(),
      esPostulacion: e.esPostulacion,
    })),
    // The names, limits and order this convocatoria keeps (docs/convocatorias.md).
    documentos: documentos
      .map((d) => ({ tipo: d.tipo, requerido: d.requerido, nombre: d.nombre, maxBytes: d.maxBytes, orden: d.orden }))
      .sort((a, b) => a.orden - b.orden),
  };
}

export type ConvocatoriaDetalle = NonNullable<Awaited<ReturnType<typeof getConvocatoria>>>;
