import { expedienteParaStaff } from "~/features/evaluacion/acceso-expediente.server";
import { auditar } from "~/features/evaluacion/auditoria.server";
import { notFound } from "~/features/evaluacion/respond.server";
import { pdfResponse } from "~/features/postulacion/download.server";
import { requireStaff } from "~/platform/auth.server";
import type { Route } from "./+types/admin.postulaciones.$id_.archivo.$archivo";

/**
 * A file of an expediente for staff: a document (by id), the ficha or the constancia, streamed.
 * Same visibility as the expediente (the disability sustento: gestor and administrador only);
 * every view audited.
 */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  const { staff: me } = await requireStaff(request, context, "score:evaluacion");
  const { db, storage } = context.services;
  const exp = await expedienteParaStaff(db, me, params.id);
  if (!exp) throw notFound("No encontramos ese archivo.");
  let file: { key: string; filename: string; size?: number; tipo: string } | null = null;
  if (params.archivo === "ficha" && exp.postulacion.fichaKey)
    file = { key: exp.postulacion.fichaKey, filename: `ficha-${exp.postulacion.numero}.pdf`, size: exp.postulacion.fichaSize ?? undefined, tipo: "ficha" };
  else if (params.archivo === "constancia" && exp.postulacion.constanciaKey)
    file = { key: exp.postulacion.constanciaKey, filename: `constancia-${exp.postulacion.numero}.pdf`, tipo: "constancia" };
  else {
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
