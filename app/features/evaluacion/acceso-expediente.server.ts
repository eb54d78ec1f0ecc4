import { and, eq } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { etapaEvaluadores, evaluacionEtapas } from "~/db/schema";
import { fueRegistrada } from "~/features/postulacion/estado";
import { loadExpediente } from "~/features/postulacion/expediente.server";
import { can, type StaffRole } from "~/shared/permissions";
import { loadEvaluacion } from "./load-evaluacion.server";

/** The disability sustento (Ley 29733: sensitive data) is seen only by gestor and administrador. */
export const TIPO_DISCAPACIDAD = "DISCAPACIDAD_CONADIS";

/**
 * A staff member's view of an expediente: gestor and administrador see every finalized
 * postulación (a desistida one too: it is kept for the record); an evaluador only those in a
 * stage assigned to them (registradas: a desistida left the evaluation), and never the disability
 * sustento. Null (the route answers 404) otherwise — drafts are never shown to staff.
 */
export async function expedienteParaStaff(db: Db, member: { id: string; role: StaffRole }, postulacionId: string) {
  const exp = await loadExpediente(db, postulacionId);
  if (!exp || !fueRegistrada(exp.postulacion.estado)) return null;
  const gestiona = can(member.role, "review:postulacion");
  if (!gestiona) {
    const mias = await db
      .select({ id: evaluacionEtapas.id })
      .from(etapaEvaluadores)
      .innerJoin(evaluacionEtapas, eq(evaluacionEtapas.id, etapaEvaluadores.etapaId))
      .where(and(eq(etapaEvaluadores.staffId, member.id), eq(evaluacionEtapas.convocatoriaId, exp.convocatoria.id)));
    if (!mias.length) return null;
    const ev = await loadEvaluacion(db, exp.convocatoria.id);
    const ids = new Set(mias.map((m) => m.id));
    const visible = ev.calculadas.some((e) => ids.has(e.id) && e.resultados.some((r) => r.postulacionId === postulacionId));
    if (!visible) return null;
  }
  return {
    ...exp,
    gestiona,
    documentos: gestiona ? exp.documentos : exp.documentos.filter((d) => d.tipo !== TIPO_DISCAPACIDAD),
    evidencias: gestiona ? exp.evidencias : exp.evidencias.filter((v) => v.tipo !== TIPO_DISCAPACIDAD),
  };
}
