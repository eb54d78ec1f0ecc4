import { and, eq } from "drizzle-orm";
import { archivos } from "~/db/schema";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { isUuid } from "~/shared/ids";
import { bumpDraft } from "./documentos-tipo.server";
import { agregarAlTipo, prepararCarga } from "./upload-documento.server";
import { assertVentanaAbierta } from "./ventana.server";

const noEsSuyo = () =>
  new AppError("postulacion.archivo_no_encontrado", "Elija uno de sus documentos guardados.", {
    status: 404,
    field: "archivoId",
    logCause: "archivo not found or not the owner",
  });

/**
 * "Usar un documento guardado" (issue 17): a file of the applicant's Mis documentos added to
 * one of the draft's types, as CARGAR would add it — after the type's files, within its size
 * limit together with them, not twice — but with no new bytes: nothing is scanned, inspected
 * nor stored (the file was when it was first uploaded). One transaction with the version bump
 * and the audit row; the file is touched. Its "CONFIRMAR DOCUMENTO CARGADO" starts unticked,
 * as for any file added. Another applicant's file is "not found", as an unknown id.
 */
export async function useArchivo(options: {
  services: Pick<Services, "db" | "clock">;
  postulanteId: string;
  convocatoriaId: string;
  tipo: string;
  archivoId: string;
}): Promise<{ documentoId: string; postulacionId: string; tipoNombre: string }> {
  const { services, postulanteId, convocatoriaId, tipo, archivoId } = options;
  const { db, clock } = services;
  if (!tipo) throw new AppError("postulacion.tipo_no_aceptado", "Seleccione el tipo de documento.", { field: "tipoGuardado", logCause: "no type" });
  if (!isUuid(archivoId)) throw noEsSuyo();
  const preparada = await prepararCarga({ services, postulanteId, convocatoriaId, tipo }).catch((error: unknown) => {
    // The type's message belongs to this form's own type field.
    if (error instanceof AppError && error.field === "tipo") throw new AppError(error.code, error.message, { status: error.status, field: "tipoGuardado", logCause: error.logCause });
    throw error;
  });
  const { postulacion, convocatoria } = preparada;
  return db.transaction(async (tx) => {
    const now = clock.now();
    const version = await bumpDraft(tx, postulacion.id, now);
    assertVentanaAbierta(convocatoria, now);
    const [archivo] = await tx.select().from(archivos).where(and(eq(archivos.id, archivoId), eq(archivos.postulanteId, postulanteId)));
    if (!archivo) throw noEsSuyo();
    const documentoId = await agregarAlTipo(tx, { postulacionId: postulacion.id, tipo, archivo, maxBytes: preparada.maxBytes, now, field: "archivoId" });
    await audit(tx, { type: "postulante", id: postulanteId }, "documento.cargado", { type: "postulacion", id: postulacion.id }, {
      tipo,
      documentoId,
      archivoId,
      sha256: archivo.sha256,
      size: archivo.size,
      pages: archivo.pages,
      reutilizado: true,
      documentosVersion: version,
    });
    return { documentoId, postulacionId: postulacion.id, tipoNombre: preparada.nombre };
  });
}
