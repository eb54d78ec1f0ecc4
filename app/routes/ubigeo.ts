import { departamentos, distritos, provincias } from "~/features/ubigeo/ubigeo.server";
import type { Route } from "./+types/ubigeo";

/**
 * The cascading Departamento / Provincia / Distrito selects' options, as JSON, for the
 * browser with JavaScript: `?departamento=15` gives its provincias, `?provincia=1501`
 * its distritos, nothing gives the departamentos. Public and the same for everyone.
 */
export function loader({ request }: Route.LoaderArgs) {
  const url = new URL(request.url);
  const departamento = url.searchParams.get("departamento");
  const provincia = url.searchParams.get("provincia");
  let options;
  if (provincia !== null) options = /^\d{4}$/.test(provincia) ? distritos(provincia) : null;
  else if (departamento !== null) options = /^\d{2}$/.test(departamento) ? provincias(departamento) : null;
  else options = departamentos();
  if (!options) return Response.json({ error: "Código de ubigeo no válido." }, { status: 400 });
  return Response.json(options, { headers: { "Cache-Control": "public, max-age=86400" } });
}
