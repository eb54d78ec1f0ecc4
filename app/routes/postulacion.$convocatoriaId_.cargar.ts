import { cargarDocumento } from "~/web/documento-upload.server";
import type { Route } from "./+types/postulacion.$convocatoriaId_.cargar";

/**
 * "CARGAR" for the page's JavaScript (XMLHttpRequest with upload progress): the same
 * handler as the page's no-JS post, answered as JSON.
 */
export async function action({ request, params, context }: Route.ActionArgs) {
  const result = await cargarDocumento(request, context, params.convocatoriaId);
  const headers = { "Cache-Control": "no-store" };
  if (result.ok) {
    const message = `${result.tipoNombre}: ${result.reutilizado ? "documento cargado (ya estaba en Mis documentos: no se guardó otra copia)" : "documento cargado"}.`;
    return Response.json({ ok: true, message }, { headers });
  }
  // After a cut-off body (413) the connection cannot carry another request.
  return Response.json(
    { ok: false, errors: result.errors },
    { status: result.status, headers: result.status === 413 ? { ...headers, Connection: "close" } : headers },
  );
}

export function loader() {
  return new Response("Método no permitido.", { status: 405, headers: { Allow: "POST" } });
}
