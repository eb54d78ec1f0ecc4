import { data, Link } from "react-router";
import { formatBytes } from "~/shared/format";
import { cachingHeaders, conditionalPage } from "~/web/http-cache.server";
import { listFormatosVigentes } from "~/features/declaraciones/formatos.server";
import type { Route } from "./+types/declaraciones-juradas._index";

export const headers: Route.HeadersFunction = cachingHeaders;

/** The same for every anonymous visitor (server/public-page-cache.ts): a format changes only in the HR office. */
export const handle = { publicCache: true };

export const meta: Route.MetaFunction = () => [
  { title: "Descargar Declaraciones Juradas · CAS Online" },
  { name: "description", content: "Formatos de Declaraciones Juradas para postular a las convocatorias CAS." },
];

/** "Descargar" (seed 2.1.2): the current formats, in the order the HR office set. */
export async function loader({ request, context }: Route.LoaderArgs) {
  const payload = { formatos: await listFormatosVigentes(context.services.db) };
  return data(payload, { headers: await conditionalPage(request, context, payload) });
}

const TIPO: Record<string, string> = {
  "application/pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
  "application/vnd.oasis.opendocument.text": "ODT",
};

export default function DescargarDeclaraciones({ loaderData }: Route.ComponentProps) {
  const { formatos } = loaderData;
  return (
    <>
      <h1>Descargar Declaraciones Juradas</h1>
      <p>Descargue y complete todos los formatos solicitados; luego cárguelos al postular como «Declaraciones Juradas».</p>
      {formatos.length ? (
        <ul className="formatos">
          {formatos.map((f) => (
            <li key={f.id}>
              <a href={`/declaraciones-juradas/${f.id}`} download>
                {f.titulo}
              </a>{" "}
              ({TIPO[f.contentType] ?? "archivo"}, {formatBytes(f.size)})
            </li>
          ))}
        </ul>
      ) : (
        <p>Aún no hay formatos publicados.</p>
      )}
      <p>
        <Link to="/convocatorias">Ver el Listado de Convocatorias</Link>
      </p>
    </>
  );
}
