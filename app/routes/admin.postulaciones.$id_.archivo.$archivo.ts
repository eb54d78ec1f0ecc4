import { expedienteParaStaff } from "~/features/evaluacion/acceso-expediente.server";
import { auditar } from "~/features/evaluacion/auditoria.server";
import { notFound } from "~/web/answer-error.server";
import { buildFicha } from "~/features/postulacion/build-ficha.server";
import { pdfResponse } from "~/web/download.server";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin.postulaciones.$id_.archivo.$archivo";

/**
 * A file of an expediente for staff: a document (by id), the ficha, the constancia or the
 * constancia de desistimiento (issue 17), streamed.
 * Same visibility as the expediente (the disability sustento, and the ficha and constancia that
 * include it: gestor and administrador only); every view audited.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  const { db, storage } = context.services;
  const exp = await expedienteParaStaff(db, me, params.id);
  if (!exp) throw notFound("No encontramos ese archivo.");
  let file: { key: string; filename: string; size?: number; tipo: string } | null = null;
  if (params.archivo === "ficha" || params.archivo === "constancia") {
    // Both carry every document (the ficha their copies, the constancia their names), the
    // disability sustento too: gestor and administrador only. The ficha is built the first
    // time it is asked for (the applicant may never have opened it).
    if (exp.gestiona && params.archivo === "ficha") {
      const ficha = await buildFicha({ services: context.services, postulacionId: exp.postulacion.id, actorId: me.id, actorType: "staff" });
      file = { key: ficha.key, filename: `ficha-${exp.postulacion.numero}.pdf`, size: ficha.size, tipo: "ficha" };
    } else if (exp.gestiona && exp.postulacion.constanciaKey)
      file = { key: exp.postulacion.constanciaKey, filename: `constancia-${exp.postulacion.numero}.pdf`, tipo: "constancia" };
  } else if (params.archivo === "desistimiento") {
    // Names the applicant, the number and the reason; no document: whoever sees the expediente.
    if (exp.postulacion.constanciaDesistimientoKey)
      file = { key: exp.postulacion.constanciaDesistimientoKey, filename: `constancia-desistimiento-${exp.postulacion.numero}.pdf`, tipo: "desistimiento" };
  } else {
    const doc = exp.documentos.find((d) => d.id === params.archivo);
    if (doc) file = { key: doc.sanitizedKey, filename: doc.filename, size: doc.sanitizedSize, tipo: doc.tipo };
  }
  if (!file) {
    context.logger.warn({ postulacionId: exp.postulacion.id }, "expediente file: not found or not visible");
    throw notFound("No encontramos ese archivo.");
  }
  await auditar(db, me.id, "documento.visto", { type: "postulacion", id: exp.postulacion.id }, { tipo: file.tipo, archivo: params.archivo });
  return pdfResponse(storage, file.key, file.filename, file.size);
}
