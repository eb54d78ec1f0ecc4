import { and, eq, notInArray } from "drizzle-orm";
import { archivos, documentos, postulacionEvidencias } from "~/db/schema";
import { perfilDeConvocatoria } from "~/features/convocatorias/convocatoria-datos.server";
import { audit } from "~/platform/audit.server";
import type { Services } from "~/platform/services.server";
import { AppError } from "~/shared/app-error";
import { cantidad } from "~/shared/format";
import { bumpDraft } from "./documentos-tipo.server";
import { noEncontrada, yaRegistrada } from "./errors";
import {
  EVIDENCIAS_POR_REQUISITO, PAGINAS_FORMATO, evidenciaField, esRequisito, formatPaginas, parsePaginas, requisitosDelPerfil, unirRangos,
  type Rango, type Requisito,
} from "./evidencias";
import { findPostulacion } from "./start-postulacion.server";
import { assertVentanaAbierta, loadConvocatoriaParaPostulante } from "./ventana.server";

/** A row of the form as sent: the requirement, its position, the file (a documento's id, or "") and the pages typed. */
export type FilaEvidencia = { requisito: string; fila: number; documentoId: string; paginas: string };

const PAGINAS_MAX = 200;

/**
 * "Guardar sustento" (issue 17): the applicant's whole "Sustento de requisitos del perfil" —
 * for each requirement the perfil states, the files of THIS postulación and their pages that
 * prove it. Optional (finalizing does not ask for it); a row left empty is no evidence.
 *
 * Every row is checked and every problem named at once (422, each at its field): a file that is
 * not one of this postulación's (another applicant's, or removed meanwhile), pages not written
 * as "1-3, 5", or beyond the file's page count. Saved like any change of the draft's documents:
 * one transaction with the version bump (the ficha's cover lists the evidence, so it is rebuilt;
 * a registrada postulación answers 409 and never changes), the window checked by the clock then,
 * and the audit row. The documents are read after that lock, so none can go meanwhile.
 */
export async function saveEvidencias(options: {
  services: Pick<Services, "db" | "clock">;
  postulanteId: string;
  convocatoriaId: string;
  filas: readonly FilaEvidencia[];
}): Promise<{ evidencias: number }> {
  const { services, postulanteId, convocatoriaId } = options;
  const { db, clock } = services;
  const { convocatoria } = await loadConvocatoriaParaPostulante(db, convocatoriaId, postulanteId);
  const postulacion = await findPostulacion(db, postulanteId, convocatoriaId);
  if (!postulacion) throw noEncontrada();
  if (postulacion.estado !== "en_registro") throw yaRegistrada();
  assertVentanaAbierta(convocatoria, clock.now());
  const enPerfil = new Set(requisitosDelPerfil(await perfilDeConvocatoria(db, convocatoriaId)).map((r) => r.requisito));

  return db.transaction(async (tx) => {
    const now = clock.now();
    const version = await bumpDraft(tx, postulacion.id, now);
    assertVentanaAbierta(convocatoria, now);
    const propios = await tx
      .select({ id: documentos.id, filename: archivos.filename, pages: archivos.pages })
      .from(documentos)
      .innerJoin(archivos, eq(archivos.id, documentos.archivoId))
      .where(eq(documentos.postulacionId, postulacion.id));
    const documentoDe = new Map(propios.map((d) => [d.id, d]));

    const errors: Record<string, string> = {};
    // (requisito, documento) → pages: the same file twice for one requirement is one evidence.
    const elegidas = new Map<string, { requisito: Requisito; documentoId: string; rangos: Rango[]; orden: number }>();
    const porRequisito = new Map<string, number>();
    for (const f of [...options.filas].sort((a, b) => a.fila - b.fila)) {
      const documentoId = f.documentoId.trim();
      const paginas = f.paginas.trim();
      if (!documentoId && !paginas) continue;
      if (!esRequisito(f.requisito) || !enPerfil.has(f.requisito)) {
        errors.form = "Ese requisito no está en el perfil del puesto. Recargue la página e inténtelo de nuevo.";
        continue;
      }
      const docField = evidenciaField(f.requisito, f.fila, "documento");
      const pagField = evidenciaField(f.requisito, f.fila, "paginas");
      const n = (porRequisito.get(f.requisito) ?? 0) + 1;
      porRequisito.set(f.requisito, n);
      if (n > EVIDENCIAS_POR_REQUISITO) {
        errors[docField] = `Indique como máximo ${EVIDENCIAS_POR_REQUISITO} documentos por requisito.`;
        continue;
      }
      const doc = documentoId ? documentoDe.get(documentoId) : undefined;
      if (!documentoId) errors[docField] = "Elija el documento que sustenta este requisito.";
      else if (!doc) errors[docField] = "Elija uno de los documentos cargados en esta postulación.";
      if (!paginas) {
        errors[pagField] = "Indique las páginas del documento que sustentan este requisito, por ejemplo: 1-3, 5.";
        continue;
      }
      if (paginas.length > PAGINAS_MAX) {
        errors[pagField] = `Escriba las páginas en ${PAGINAS_MAX} caracteres como máximo.`;
        continue;
      }
      const rangos = parsePaginas(paginas);
      if (!rangos) {
        errors[pagField] = PAGINAS_FORMATO;
        continue;
      }
      if (!doc) continue;
      if (rangos.at(-1)!.hasta > doc.pages) {
        errors[pagField] =
          doc.pages === 1
            ? `«${doc.filename}» tiene 1 página: indique la página 1.`
            : `«${doc.filename}» tiene ${cantidad(doc.pages, "página", "páginas")}: indique páginas entre 1 y ${doc.pages}.`;
        continue;
      }
      const key = `${f.requisito}:${doc.id}`;
      const antes = elegidas.get(key);
      if (antes) antes.rangos = unirRangos([...antes.rangos, ...rangos]);
      else elegidas.set(key, { requisito: f.requisito, documentoId: doc.id, rangos, orden: n - 1 });
    }
    if (Object.keys(errors).length) throw AppError.many("postulacion.sustento_invalido", errors, "evidence rows refused");

    const filas = [...elegidas.values()].map((e) => ({ ...e, paginas: formatPaginas(e.rangos) }));
    if (filas.some((f) => f.paginas.length > PAGINAS_MAX)) {
      throw new AppError("postulacion.sustento_invalido", `Escriba las páginas en ${PAGINAS_MAX} caracteres como máximo.`, { logCause: "pages too long" });
    }
    // Kept rows keep their creation time; the rest go.
    const guardadas: string[] = [];
    for (const f of filas) {
      const [row] = await tx
        .insert(postulacionEvidencias)
        .values({ postulacionId: postulacion.id, requisito: f.requisito, documentoId: f.documentoId, paginas: f.paginas, orden: f.orden, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [postulacionEvidencias.postulacionId, postulacionEvidencias.requisito, postulacionEvidencias.documentoId],
          set: { paginas: f.paginas, orden: f.orden, updatedAt: now },
        })
        .returning({ id: postulacionEvidencias.id });
      guardadas.push(row!.id);
    }
    await tx
      .delete(postulacionEvidencias)
      .where(and(eq(postulacionEvidencias.postulacionId, postulacion.id), guardadas.length ? notInArray(postulacionEvidencias.id, guardadas) : undefined));
    await audit(tx, { type: "postulante", id: postulanteId }, "postulacion.sustento_guardado", { type: "postulacion", id: postulacion.id }, {
      requisitos: [...new Set(filas.map((f) => f.requisito))],
      evidencias: filas.length,
      documentosVersion: version,
    });
    return { evidencias: filas.length };
  });
}
