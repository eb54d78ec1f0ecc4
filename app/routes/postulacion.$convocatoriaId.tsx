import { eq } from "drizzle-orm";
import { convocatorias } from "~/db/schema";
import { requirePostulante } from "~/platform/auth.server";
import type { Route } from "./+types/postulacion.$convocatoriaId";

/**
 * PLACEHOLDER (issue 3): "POSTULAR" leads here. Signed out, requirePostulante sends the
 * visitor to /login?redirectTo=/postulacion/<id>, and login brings them back. The
 * postulación (issue 4) replaces this file.
 */
export const meta: Route.MetaFunction = () => [{ title: "Postulación · CAS Online" }];

export async function loader({ request, context, params }: Route.LoaderArgs) {
  await requirePostulante(request, context);
  const c = /^[0-9a-f-]{36}$/i.test(params.convocatoriaId)
    ? await context.services.db.query.convocatorias.findFirst({
        where: eq(convocatorias.id, params.convocatoriaId),
        columns: { codigo: true, puesto: true, estado: true },
      })
    : undefined;
  if (!c || c.estado === "borrador") throw new Response("La convocatoria no existe.", { status: 404 });
  return { codigo: c.codigo, puesto: c.puesto };
}

export default function Postulacion({ loaderData }: Route.ComponentProps) {
  return (
    <>
      <h1>Postulación</h1>
      <p>
        {loaderData.codigo} – {loaderData.puesto}
      </p>
    </>
  );
}
