import { previewResultadosPdf } from "~/features/evaluacion/publish-resultados.server";
import { AppError } from "~/shared/app-error";
import { contentDisposition } from "~/shared/file-name";
import { isUuid } from "~/shared/ids";
import { notFound, refusal } from "~/web/answer-error.server";
import { requireStaff } from "~/web/auth.server";
import type { Route } from "./+types/admin.convocatorias.$id_.evaluacion_.publicar_.pdf";

/** The PDF a results list would be published with, built now and stored nowhere (the preview's "Ver el PDF que se publicará"). */
export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requireStaff(request, context, "review:postulacion");
  const url = new URL(request.url);
  const a = url.searchParams.get("alcance");
  const alcance = a === "final" ? ("final" as const) : a && isUuid(a) ? { etapaId: a } : null;
  if (!isUuid(params.id) || !alcance) throw notFound("No encontramos esa lista de resultados.");
  try {
    const { pdf, filename } = await previewResultadosPdf({
      services: context.services,
      convocatoriaId: params.id,
      alcance,
      motivo: (url.searchParams.get("motivo") ?? "").slice(0, 1000),
      referenciaActa: (url.searchParams.get("referenciaActa") ?? "").slice(0, 200),
    });
    return new Response(Buffer.from(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": contentDisposition("inline", filename),
        "Cache-Control": "private, no-store",
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.status !== 404) {
      const r = refusal(error, context, "evaluacion/publicar: preview pdf");
      return new Response(r.message, { status: r.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    }
    if (error instanceof AppError) throw notFound(error.message);
    throw error;
  }
}
