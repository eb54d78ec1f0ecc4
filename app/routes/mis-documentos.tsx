import { Link, redirect, useActionData } from "react-router";
import { z } from "zod";
import { deleteArchivo } from "~/features/postulacion/delete-archivo.server";
import { listArchivos } from "~/features/postulacion/list-archivos.server";
import { cantidad, formatBytes } from "~/shared/format";
import { formatLima } from "~/shared/lima";
import { BotonAccion } from "~/ui/acciones";
import { FileName } from "~/ui/file-name";
import { ErrorSummary } from "~/ui/form";
import { answerError } from "~/web/answer-error.server";
import { requirePostulante } from "~/web/auth.server";
import { invalid, parseForm, readForm } from "~/web/forms.server";
import type { Route } from "./+types/mis-documentos";

/**
 * "Mis documentos" (issue 17): every PDF the applicant uploaded, once per content, with its
 * type, name, pages, size, date and SHA-256, the postulaciones that use it, "Descargar" and
 * "Eliminar" (refused for a file of a registered postulación). docs/mis-documentos.md.
 */
export function meta() {
  return [{ title: "Mis documentos · CAS Online" }];
}

export async function loader({ request, context }: Route.LoaderArgs) {
  const { postulante } = await requirePostulante(request, context);
  const archivos = await listArchivos(context.services.db, postulante.id);
  return {
    archivos,
    eliminado: new URL(request.url).searchParams.has("eliminado"),
    retencionDias: context.services.config.archivosRetencionDias,
  };
}

const eliminarSchema = z.object({ intent: z.literal("eliminar"), archivoId: z.string() });

export async function action({ request, context }: Route.ActionArgs) {
  const { postulante } = await requirePostulante(request, context);
  const formData = await readForm(request, context);
  const parsed = parseForm(eliminarSchema, formData);
  if (!parsed.ok) return invalid(formData, { form: "Acción desconocida." }, 400);
  try {
    await deleteArchivo({ services: context.services, postulanteId: postulante.id, archivoId: parsed.data.archivoId });
    context.logger.info("archivo eliminado de mis documentos");
    return redirect("/mis-documentos?eliminado=1");
  } catch (error) {
    return answerError(error, formData, context, "mis documentos", { notFoundPage: true });
  }
}

export default function MisDocumentos({ loaderData }: Route.ComponentProps) {
  const { archivos, eliminado, retencionDias } = loaderData;
  const errors = useActionData<typeof action>()?.errors;
  return (
    <>
      <h1>Mis documentos</h1>
      <p>
        Cada PDF que cargó en una postulación se guarda aquí una sola vez (un mismo archivo cargado de nuevo no ocupa otra
        copia). En una postulación, «Usar un documento guardado» lo agrega sin volver a cargarlo.
      </p>
      <p className="hint">
        Un documento que forma parte de una postulación registrada no se puede eliminar ni cambiar. Los documentos que no
        usa ninguna postulación y que no se han usado en {cantidad(retencionDias, "día", "días")} se eliminan, previo aviso
        por correo (Ley N° 29733, ver <Link to="/privacidad">Privacidad</Link>).
      </p>
      {eliminado && !errors ? (
        <p className="notice notice--success" role="status">
          Documento eliminado de Mis documentos.
        </p>
      ) : null}
      <ErrorSummary errors={errors} />
      {archivos.length === 0 ? (
        <p>Aún no ha cargado documentos.</p>
      ) : (
        <div className="table-wrap">
          <table className="documentos-table">
            <caption className="visually-hidden">Sus documentos guardados, el más reciente primero</caption>
            <thead>
              <tr>
                <th scope="col">Tipo</th>
                <th scope="col">Archivo</th>
                <th scope="col">Páginas</th>
                <th scope="col">Tamaño</th>
                <th scope="col">Fecha de carga</th>
                <th scope="col">SHA-256</th>
                <th scope="col">Usado en</th>
                <th scope="col">Acciones</th>
              </tr>
            </thead>
            <tbody>
              {archivos.map((a) => (
                <tr key={a.id}>
                  <td data-label="Tipo">{a.tipoNombre}</td>
                  <td data-label="Archivo" className="filename">
                    <FileName name={a.filename} />
                  </td>
                  <td data-label="Páginas">{a.pages}</td>
                  <td data-label="Tamaño">{formatBytes(a.size)}</td>
                  <td data-label="Fecha de carga">{formatLima(a.uploadedAt)}</td>
                  <td data-label="SHA-256">
                    <details>
                      <summary>
                        <code>{a.sha256.slice(0, 12)}…</code>
                        <span className="visually-hidden"> (ver el SHA-256 completo de {a.filename})</span>
                      </summary>
                      <code className="sha256">{a.sha256}</code>
                    </details>
                  </td>
                  <td data-label="Usado en">
                    {a.usos.length
                      ? a.usos.map((u) => `${u.codigo} (${u.registrada ? "registrada" : "en registro"})`).join(", ")
                      : "Ninguna postulación"}
                  </td>
                  <td data-label="Acciones">
                    <div className="actions">
                      <a href={`/mis-documentos/${a.id}`} target="_blank" rel="noopener" className="button button--secondary">
                        Descargar<span className="visually-hidden"> {a.filename}</span>
                      </a>
                      {a.bloqueado ? (
                        <span className="hint">No se puede eliminar: es parte de una postulación registrada.</span>
                      ) : (
                        <BotonAccion intent="eliminar" campos={{ archivoId: a.id }} label="Eliminar" nombre={a.filename} />
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">
        Si elimina un documento que usa una postulación aún no registrada, también se quita de ella.
      </p>
    </>
  );
}
