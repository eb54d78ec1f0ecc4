import { olvidarOpcionesFiltros } from "./list-convocatorias.server";
import { eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { convocatoriaDocumentos } from "~/db/schema";
import { audit, type Actor } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { getConvocatoria } from "./get-convocatoria.server";
import { loadConvocatoria, transition } from "./transiciones.server";

type Row = Awaited<ReturnType<typeof loadConvocatoria>>;

/**
 * What stops a borrador from being published, in words for the HR office (empty: nothing).
 * A convocatoria needs its bases, an application window that has not already ended, and at
 * least one required document.
 */
async function impedimentos(db: Db, c: Row, now: Date): Promise<string[]> {
  const faltan: string[] = [];
  if (!c.basesKey) faltan.push("las bases (PDF)");
  if (!c.postulacionInicio || !c.postulacionFin) faltan.push("el plazo de postulación en el cronograma");
  const docs = await db
    .select({ requerido: convocatoriaDocumentos.requerido })
    .from(convocatoriaDocumentos)
    .where(eq(convocatoriaDocumentos.convocatoriaId, c.id));
  if (!docs.some((d) => d.requerido)) faltan.push("los documentos que se exigen al postular");
  const problemas = faltan.length ? [`Falta ${faltan.join(", ")}.`] : [];
  if (c.postulacionFin && c.postulacionFin <= now) problemas.push("El plazo de postulación ya terminó. Corrija el cronograma.");
  return problemas;
}

/** The version a preview showed: the row's last change, to the millisecond. */
const versionOf = (c: Row) => c.updatedAt.toISOString();

/**
 * The preview before "Publicar": the public page exactly as it will read once published now
 * (the same data the public page renders), what would stop the publication, and the version
 * the confirmation must carry. Publishing a convocatoria e-mails nobody (`correos: 0`): the
 * public learns of it from the list and its feeds.
 */
export async function previewConvocatoriaPublication(options: { services: Services; id: string }) {
  const { services, id } = options;
  const now = services.clock.now();
  const row = await loadConvocatoria(services.db, id);
  const convocatoria = await getConvocatoria(services.db, id, now, { comoPublicada: true });
  return {
    estado: row.estado,
    convocatoria: convocatoria!,
    impedimentos: row.estado === "borrador" ? await impedimentos(services.db, row, now) : [],
    version: versionOf(row),
    correos: 0,
  };
}

/**
 * borrador → publicada, after the preview: `version` is the one the preview showed; a
 * convocatoria changed since (another tab, a colleague) is not published unseen.
 */
export async function publishConvocatoria(options: { services: Services; actor: Actor; id: string; version: string }) {
  const { services, actor, id } = options;
  const c = await loadConvocatoria(services.db, id);
  if (c.estado !== "borrador") throw new AppError("convocatoria.publicar_no_borrador", "Solo se publica una convocatoria en borrador.", { status: 409 });
  if (versionOf(c) !== options.version) {
    throw new AppError(
      "convocatoria.cambio_tras_vista_previa",
      "La convocatoria cambió después de la vista previa. Revise la vista previa actual antes de publicar.",
      { status: 409, field: "publicar", logCause: "changed since the preview" },
    );
  }
  const now = services.clock.now();
  const problemas = await impedimentos(services.db, c, now);
  if (problemas.length) {
    const plazo = problemas.some((p) => p.startsWith("El plazo"));
    throw new AppError(
      plazo && problemas.length === 1 ? "convocatoria.publicar_plazo_terminado" : "convocatoria.publicar_incompleta",
      `No se puede publicar. ${problemas.join(" ")}`,
      { field: "publicar", logCause: "publish preconditions" },
    );
  }
  await services.db.transaction(async (tx) => {
    await transition(tx, id, "borrador", { estado: "publicada", publishedAt: now, updatedAt: now, updatedBy: actor.id });
    await audit(tx, actor, "convocatoria.publicada", { type: "convocatoria", id }, { codigo: c.codigo });
  });
  olvidarOpcionesFiltros(services.db);
}
